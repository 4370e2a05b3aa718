import { useId, useState, type FormEvent } from 'react';
import { NetworkName, SubnetSchema } from '../../../../app/contract/network-contract';
import { useApi } from '../../api/api-context';
import { useEngineAction } from '../../components/use-engine-action';
import { useNoticeStore } from '../../components/notice-store';
import { FormProblem } from '../../components/FormProblem';

/** Name and optional subnet of a new bridge network, checked by the contract's own rules before a round trip. */
export function CreateNetworkForm() {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [problem, setProblem] = useState<{ field: 'name' | 'subnet'; text: string } | null>(null);
  const create = useEngineAction((request: { name: string; subnet?: string }) => api.networks.create(request));
  const hintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsedName = NetworkName.safeParse(name.trim());
    if (!parsedName.success) {
      setProblem({ field: 'name', text: parsedName.error.issues[0]?.message ?? 'Invalid network name.' });
      return;
    }
    const wantedSubnet = subnet.trim();
    if (wantedSubnet) {
      const parsedSubnet = SubnetSchema.safeParse(wantedSubnet);
      if (!parsedSubnet.success) {
        setProblem({ field: 'subnet', text: parsedSubnet.error.issues[0]?.message ?? 'Invalid subnet.' });
        return;
      }
    }
    setProblem(null);
    const request = wantedSubnet ? { name: parsedName.data, subnet: wantedSubnet } : { name: parsedName.data };
    create.mutate(request, {
      onSuccess: (network) => {
        notify('info', `Network ${network.name} created (${network.subnets.join(', ') || 'no subnet'}).`);
        setName('');
        setSubnet('');
      },
    });
  };

  const invalid = (field: 'name' | 'subnet') =>
    problem?.field === field ? { 'aria-invalid': true, 'aria-describedby': hintId } : {};

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Create network">
      <label>
        <span>Network name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" {...invalid('name')} />
      </label>
      <label>
        <span>Subnet (optional)</span>
        <input
          value={subnet}
          onChange={(event) => setSubnet(event.target.value)}
          placeholder="172.30.0.0/16"
          autoComplete="off"
          size={16}
          {...invalid('subnet')}
        />
      </label>
      <button type="submit" disabled={create.isPending}>
        Create network
      </button>
      {problem ? <FormProblem id={hintId}>{problem.text}</FormProblem> : null}
    </form>
  );
}
