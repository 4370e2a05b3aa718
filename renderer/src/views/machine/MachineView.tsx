/**
 * The Engine view: the engines Berth knows and which one every view shows, and for its own VM the controls (Start, Stop, Restart,
 * Factory reset), what went wrong when it failed, how other tools reach it, and its settings.
 */
import { NotificationSetting } from '../../notifications';
import { useMachineStatus } from './machine-status';
import { EngineAccess } from './EngineAccess';
import { EngineList } from './EngineList';
import { LastStart } from './LastStart';
import { VmControls } from './VmControls';
import { VmFailureDetails } from './VmFailureDetails';
import { SaveDiagnostics } from './SaveDiagnostics';
import { VmSettingsForm } from './VmSettingsForm';
import './machine.css';

export function MachineView() {
  const status = useMachineStatus();
  if (!status) return <p className="muted">Asking Berth about its engine…</p>;
  const vm = status.vm;
  return (
    <section className="view machine-view" aria-labelledby="engine-heading">
      <h1 id="engine-heading">Engine</h1>
      <EngineList />
      {vm === null ? (
        <p className="muted">
          Berth started with {status.engineDescription} (--engine or DOCKER_HOST) and does not run its VM. Start Berth without
          them to use its own VM.
        </p>
      ) : (
        <>
          <h2>Berth&apos;s VM</h2>
          {vm.notice ? (
            <p className="notice" role="note">
              {vm.notice}
            </p>
          ) : null}
          <VmControls state={vm.state} />
          {vm.state.kind === 'running' || vm.state.kind === 'resting' ? <LastStart snapshot={vm.bootSnapshot} /> : null}
          {vm.diskFull ? (
            <p className="problem" role="alert">
              {vm.diskFull}
            </p>
          ) : null}
          {vm.state.kind === 'error' ? (
            <VmFailureDetails failure={vm.state.failure} imageNeedsRebuild={vm.imageNeedsRebuild} />
          ) : null}
          <EngineAccess
            dockerHost={vm.dockerHost}
            dockerContext={vm.dockerContext}
            cliPlugins={vm.cliPlugins}
            sharedFolders={vm.sharedFolders}
          />
          <VmSettingsForm />
        </>
      )}
      <NotificationSetting />
      <SaveDiagnostics />
    </section>
  );
}
