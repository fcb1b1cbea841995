import type { WorkloadToHost, WorkloadViewState } from '../src/shared/workloadProtocol';
import { vscode } from './vscodeApi';

/** The same VS Code API handle as the node panel's (acquired once), typed for the workload view's messages. */
interface WorkloadVsCodeApi {
  postMessage(message: WorkloadToHost): void;
  getState(): WorkloadViewState | undefined;
  setState(state: WorkloadViewState): void;
}

export const workloadApi = vscode as unknown as WorkloadVsCodeApi;

export function postWorkload(message: WorkloadToHost): void {
  workloadApi.postMessage(message);
}
