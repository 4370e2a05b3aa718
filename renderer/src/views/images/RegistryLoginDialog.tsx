import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isBerthApiError } from '../../../../app/contract/errors';
import { useApi } from '../../api/api-context';
import { FormProblem } from '../../components/FormProblem';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { registryLoginsQuery } from './image-queries';
import './images.css';

const messageOf = (error: unknown) => (isBerthApiError(error) ? error.message : String(error));

/**
 * Registry logins: the app checks them with the registry before keeping them (encrypted at rest), and
 * uses them for pulls, pushes and runs from that registry. The password never comes back to the page.
 */
export function RegistryLoginDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const logins = useQuery(registryLoginsQuery(api));
  const [registry, setRegistry] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: registryLoginsQuery(api).queryKey });
  const login = useMutation({
    mutationFn: () => api.images.login({ registry: registry.trim(), username: username.trim(), password }),
    onSuccess: () => {
      setPassword('');
      return refresh();
    },
  });
  const logout = useMutation({ mutationFn: (name: string) => api.images.logout({ registry: name }), onSuccess: refresh });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  return (
    <ModalDialog title="Registry logins" onClose={onClose} className="image-dialog">
      {logins.data && logins.data.length > 0 ? (
        <ul className="logins" aria-label="Saved logins">
          {logins.data.map((saved) => (
            <li key={saved.registry}>
              <span>
                <span className="mono">{saved.registry}</span> as {saved.username}
              </span>
              <button type="button" onClick={() => logout.mutate(saved.registry)} aria-label={`Log out of ${saved.registry}`}>
                Log out
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No saved logins.</p>
      )}
      <form className="stack-form" onSubmit={submit} aria-label="Log in to a registry">
        <label>
          <span>Registry</span>
          <input
            value={registry}
            onChange={(event) => setRegistry(event.target.value)}
            placeholder="127.0.0.1:5000"
            required
            autoFocus
          />
        </label>
        <label>
          <span>User name</span>
          <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" required />
        </label>
        <label>
          <span>Password</span>
          <input
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {login.isError ? <FormProblem>{messageOf(login.error)}</FormProblem> : null}
        {logout.isError ? <FormProblem>{messageOf(logout.error)}</FormProblem> : null}
        {login.isSuccess ? <p role="status">Logged in to {login.data.registry}.</p> : null}
        <DialogFooter dismissLabel="Close" onDismiss={onClose} submit={{ label: 'Log in', disabled: login.isPending }} />
      </form>
    </ModalDialog>
  );
}
