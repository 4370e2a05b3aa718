import type { ReactNode } from 'react';
import './data-table.css';

export interface DataColumn<Row> {
  /** The column header's content; it names the column's cells for a screen reader. */
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Classes of the column's cells (`mono`, `numeric`); `numeric` aligns the header too. */
  className?: string;
  /** The cell names its row (`<th scope="row">`), as the first column of a summary does. */
  rowHeader?: boolean;
}

interface DataTableProps<Row> {
  /** The table's accessible name. */
  label: string;
  columns: ReadonlyArray<DataColumn<Row>>;
  rows: readonly Row[];
  /** The row's React key; the index serves rows that have no identity of their own (an image's layers). */
  rowKey: (row: Row, index: number) => string;
  /** Each row's accessible name, so a row can be found by what it shows. */
  rowLabel?: (row: Row) => string;
  className?: string;
  /** Rows before the data rows (a folder's "Up one folder"). */
  leadingRows?: ReactNode;
  /** A <tfoot> row or rows (totals). */
  footer?: ReactNode;
  /** Shown under the table when there are no rows; null while the rows are still unknown. */
  empty?: string | null;
}

/**
 * The one data table of the renderer (images, volumes, networks, files, disk usage, an image's layers, a volume's users): a real <table>
 * with column headers, so row and cell roles and keyboard reading come from the browser.
 */
export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  rowLabel,
  className,
  leadingRows,
  footer,
  empty,
}: DataTableProps<Row>) {
  return (
    <>
      <table className={className ? `plain-table ${className}` : 'plain-table'} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={column.className?.includes('numeric') ? 'numeric' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {leadingRows}
          {rows.map((row, rowIndex) => (
            <tr key={rowKey(row, rowIndex)} aria-label={rowLabel?.(row)}>
              {columns.map((column, index) =>
                column.rowHeader ? (
                  <th key={index} scope="row" className={column.className}>
                    {column.cell(row)}
                  </th>
                ) : (
                  <td key={index} className={column.className}>
                    {column.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
      {empty && rows.length === 0 ? <p className="empty">{empty}</p> : null}
    </>
  );
}
