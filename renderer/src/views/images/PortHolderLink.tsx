import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { useNavigation } from '../../navigation';

/**
 * Under a "Port 8080 is already in use by container web" refusal: a link that opens that container's
 * detail. The message already names the holder; this asks the app who it is now, for the container's id.
 */
export function PortHolderLink({ message, onOpen }: { message: string; onOpen: () => void }) {
  const api = useApi();
  const navigate = useNavigation((state) => state.navigate);
  const port = /^Port (\d+) is already in use by container /.exec(message)?.[1];
  const holder = useQuery({
    queryKey: ['port-holder', port],
    queryFn: () => api.system.portHolder({ port: Number(port) }),
    enabled: port !== undefined,
    gcTime: 0,
  });
  const found = holder.data?.kind === 'container' ? holder.data : null;
  if (!found) return null;
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        onOpen();
        navigate({ kind: 'container', ref: found.name, tab: 'logs' });
      }}
    >
      Open container {found.name}
    </button>
  );
}
