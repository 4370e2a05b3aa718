/** One row of the benchmark table: a measure, Berth's figure beside the reference's, and the goal. */
export interface BenchRow {
  measure: string;
  berth: string;
  reference: string;
  ratio: string;
  goal: string;
}
