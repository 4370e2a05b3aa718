// Engines on other machines: ssh:// addresses, the ssh dial agent (system ssh + `docker system dial-stdio`), ssh's errors shortened.
export { formatRemoteAddress, parseRemoteAddress, type RemoteAddress } from './remote-address.js';
export { EngineAddressError, formatSshAddress, parseSshAddress, type SshAddress } from './ssh-address.js';
export { SshDialAgent, sshDialArguments, type SshDialOptions } from './ssh-dial-agent.js';
export { shortenSshError } from './ssh-error.js';
export { SshDialError } from './ssh-stdio-socket.js';
