/**
 * The networks part of the contract: list (with the containers attached), create a bridge network,
 * remove, connect and disconnect a container. Actions take the network's id or name; the UI sends ids,
 * so networks the CLI created with names Berth would not accept can still be managed.
 */
import { z } from 'zod';
import { parseIpv4Subnet } from '../../engine/networks/cidr.js';
import type { NetworkContainer, NetworkSummary } from '../../engine/networks/network-types.js';
import { method, NoArgs, Nothing } from './definitions.js';
import { ContainerRef } from './schemas.js';

export type { NetworkContainer, NetworkSummary } from '../../engine/networks/network-types.js';

/** The rule for new network names (the engine's restricted name pattern, as for volumes). */
export const NetworkName = z
  .string()
  .min(1, 'A network name is required.')
  .max(255, 'A network name can have at most 255 characters.')
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
    'A network name starts with a letter or digit and contains only letters, digits, "_", "." and "-".',
  );

/** A network id (hex) or name. */
export const NetworkRef = z
  .string()
  .min(1, 'A network id or name is required.')
  .max(255)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Not a network id or name.');

/** An IPv4 range in CIDR form; the same rule the engine service applies. */
export const SubnetSchema = z.string().superRefine((text, context) => {
  const parsed = parseIpv4Subnet(text);
  if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
});

export const NetworkContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  address: z.string().nullable(),
}) satisfies z.ZodType<NetworkContainer>;

export const NetworkSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  subnets: z.array(z.string()),
  internal: z.boolean(),
  builtIn: z.boolean(),
  createdAt: z.string().nullable(),
  containers: z.array(NetworkContainerSchema),
}) satisfies z.ZodType<NetworkSummary>;

const Attachment = z.object({ network: NetworkRef, container: ContainerRef }).strict();

export const networkContract = {
  list: method(NoArgs, z.array(NetworkSummarySchema)),
  /** A bridge network; the engine picks a subnet when none is given. */
  create: method(z.object({ name: NetworkName, subnet: SubnetSchema.optional() }).strict(), NetworkSummarySchema),
  /** Refused, naming them, while running containers are attached. */
  remove: method(z.object({ id: NetworkRef }).strict(), Nothing),
  connect: method(Attachment, Nothing),
  disconnect: method(Attachment, Nothing),
} as const;
