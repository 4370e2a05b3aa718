import { useId, useState, type FormEvent } from 'react';
import { AddEngineSchema, type AddEngineInput } from '../../../../app/contract/engines-contract';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { useNoticeStore } from '../../components/notice-store';
import { useEngineAction } from '../../components/use-engine-action';

/** An ssh:// or tcp:// engine for the list, checked by the contract's own rules before a round trip. */
export function AddEngineForm() {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [tls, setTls] = useState({ ca: '', cert: '', key: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const add = useEngineAction((input: AddEngineInput) => api.engines.add(input));
  const problemId = useId();
  const tcp = address.trim().startsWith('tcp://');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = AddEngineSchema.safeParse({ name, address, tls: tcp ? tls : null });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'This engine cannot be added.');
      return;
    }
    setProblem(null);
    add.mutate(parsed.data, {
      onSuccess: (engine) => {
        notify('info', `Engine ${engine.name} added (${engine.address}).`);
        setName('');
        setAddress('');
        setTls({ ca: '', cert: '', key: '' });
      },
    });
  };

  const described = problem ? { 'aria-describedby': problemId } : {};
  const tlsField = (field: keyof typeof tls, label: string) => (
    <label>
      <span>{label}</span>
      <input
        value={tls[field]}
        onChange={(event) => setTls({ ...tls, [field]: event.target.value })}
        placeholder={`/home/me/.docker/${field === 'cert' ? 'cert' : field}.pem`}
        autoComplete="off"
      />
    </label>
  );

  return (
    <form className="settings-form add-engine-form" onSubmit={submit} noValidate aria-label="Add engine">
      <label>
        <span>Engine name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" {...described} />
      </label>
      <label>
        <span>Engine address</span>
        <input
          value={address}
          onChange={(event) => setAddress(event.target.value)}
          placeholder="ssh://user@host or tcp://host:2376"
          autoComplete="off"
          spellCheck={false}
          {...described}
        />
      </label>
      {tcp ? (
        <fieldset>
          <legend>TLS (as in DOCKER_CERT_PATH)</legend>
          {tlsField('ca', 'CA certificate')}
          {tlsField('cert', 'Client certificate')}
          {tlsField('key', 'Client key')}
        </fieldset>
      ) : null}
      <div className="button-row">
        <button type="submit" disabled={add.isPending}>
          Add engine
        </button>
      </div>
      {problem ? <FormProblem id={problemId}>{problem}</FormProblem> : null}
    </form>
  );
}
