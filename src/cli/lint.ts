import { UsageError, type Subcommand } from './io';

// Placeholder until its issue lands; replaced by the real command.
export const lint: Subcommand = async () => {
  throw new UsageError('not implemented yet');
};
