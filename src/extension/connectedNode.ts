/**
 * The extension's end of `oomscope/connectedNode`: each node panel's source reports its node's facts after each
 * analysis (null when its cluster stops answering or the panel closes). With several node panels the newest one
 * with facts owns the channel (no flip-flop between panels that poll); another panel's null does not clear it.
 * Only changes are sent. No vscode import: unit-tested.
 */
import type { ConnectedNodeParams, WireConnectedNode } from '../shared/lspProtocol';

export type NodeFactsReporter = (facts: WireConnectedNode | null) => void;

export class ConnectedNodeChannel {
  /** The owner's rank: reporters are ranked by creation, newest highest. */
  private owner: number | null = null;
  private created = 0;
  private sent: ConnectedNodeParams = null;

  constructor(private readonly send: (params: ConnectedNodeParams) => void) {}

  /** A reporter for one panel source. */
  reporter(): NodeFactsReporter {
    const me = ++this.created;
    return (facts) => {
      if (facts && (this.owner === null || this.owner <= me)) this.owner = me;
      else if (!facts && this.owner === me) this.owner = null;
      else return;
      if (JSON.stringify(facts) === JSON.stringify(this.sent)) return;
      this.sent = facts;
      this.send(facts);
    };
  }

  /** Sends the current facts again (a restarted language server starts without them). */
  resend(): void {
    if (this.sent) this.send(this.sent);
  }
}
