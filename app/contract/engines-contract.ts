/**
 * The engines part of the contract: the engines Berth knows (its VM, this computer's engine, ssh:// and
 * tcp:// engines the user added), each with its status, and switching between them. Addresses are
 * checked here, with the same parser the app uses, so a malformed one never reaches ssh.
 */
import { z } from 'zod';
// The pure parser file itself: engine/remote's door also starts processes, which the renderer must not bundle.
import { parseRemoteAddress } from '../../engine/remote/remote-address.js';
import { method, NoArgs, Nothing, stream } from './definitions.js';

const EngineId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'Not an engine id.');

const CertificatePath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Give the path of the ${what}.`)
    .max(4096)
    .regex(/^(\/|[A-Za-z]:\\)/, `The ${what} path must be absolute.`);

export const TlsPathsSchema = z
  .object({
    ca: CertificatePath('CA certificate'),
    cert: CertificatePath('client certificate'),
    key: CertificatePath('client key'),
  })
  .strict();

export const AddEngineSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the engine a name.').max(60, 'A name has at most 60 characters.'),
    address: z
      .string()
      .trim()
      .min(1, 'Give the engine address: ssh://user@host[:port] or tcp://host:port.')
      .max(300)
      .superRefine((address, context) => {
        try {
          parseRemoteAddress(address);
        } catch (error) {
          context.addIssue({ code: 'custom', message: (error as Error).message });
        }
      }),
    tls: TlsPathsSchema.nullable(),
  })
  .strict()
  .superRefine((input, context) => {
    const tcp = input.address.startsWith('tcp://');
    if (tcp && !input.tls) {
      context.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'A tcp:// engine needs TLS: give the CA certificate, client certificate and key (as in DOCKER_CERT_PATH).',
      });
    }
    if (!tcp && input.tls) {
      context.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'TLS files are for tcp:// engines; ssh engines use your ssh keys.',
      });
    }
  });

export const EngineStatusSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checking') }),
  z.object({ kind: z.literal('reachable'), version: z.string(), apiVersion: z.string() }),
  z.object({ kind: z.literal('unreachable'), reason: z.string() }),
]);

export const EngineEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** vm: Berth's VM; local: this computer's engine; ssh, tcp: engines the user added. */
  kind: z.enum(['vm', 'local', 'ssh', 'tcp']),
  /** Where it is, as a person reads it. */
  address: z.string(),
  /** Only engines the user added can be removed. */
  removable: z.boolean(),
  /** The engine every view shows now. */
  active: z.boolean(),
  status: EngineStatusSchema,
});

export const EngineListSchema = z.object({ engines: z.array(EngineEntrySchema) });

const ById = z.object({ id: EngineId }).strict();

export const enginesContract = {
  /** The engines with their status now, then every change. */
  list: stream(NoArgs, EngineListSchema, 4),
  add: method(AddEngineSchema, EngineEntrySchema),
  remove: method(ById, Nothing),
  /** Every view follows: the connection moves to this engine. */
  use: method(ById, Nothing),
  /** Asks an engine again whether it answers. */
  check: method(ById, Nothing),
} as const;

export type AddEngineInput = z.output<typeof AddEngineSchema>;
export type EngineEntry = z.output<typeof EngineEntrySchema>;
export type EngineList = z.output<typeof EngineListSchema>;
export type EngineStatus = z.output<typeof EngineStatusSchema>;
export type TlsPaths = z.output<typeof TlsPathsSchema>;
