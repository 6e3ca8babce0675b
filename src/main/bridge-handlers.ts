import { BRIDGE_CHANNELS, chooseFileSchema, chooseSaveFileSchema, connectionChoiceSchema, currentRunSchema, type Connection, type ConnectionChoice } from '../core/protocol/desktop-bridge.ts';
import { describeZodError } from '../core/protocol/requests.ts';
import { z } from 'zod';

/** What the bridge needs from the shell: native dialogs and the coordinator it holds. */
export interface BridgeDeps {
  connection(): Connection;
  chooseFolder(title: string): Promise<string | null>;
  chooseFile(options: z.output<typeof chooseFileSchema>): Promise<string | null>;
  chooseSaveFile(options: z.output<typeof chooseSaveFileSchema>): Promise<string | null>;
  useCoordinator(choice: ConnectionChoice): Promise<Connection>;
  setCurrentRun(run: z.output<typeof currentRunSchema>): void;
}

type Handler = (payload: unknown) => Promise<unknown> | unknown;

/**
 * The main process's side of the bridge, one handler per channel, each parsing what the
 * renderer sent (the renderer is untrusted): a malformed payload is refused with the reason.
 */
export function bridgeHandlers(deps: BridgeDeps): Record<string, Handler> {
  const parse = <S extends z.ZodType>(schema: S, payload: unknown, channel: string): z.output<S> => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new Error(`${channel}: malformed request (${describeZodError(parsed.error)})`);
    return parsed.data;
  };
  return {
    [BRIDGE_CHANNELS.connection]: () => deps.connection(),
    [BRIDGE_CHANNELS.chooseFolder]: (p) => deps.chooseFolder(parse(z.string().max(200), p, BRIDGE_CHANNELS.chooseFolder)),
    [BRIDGE_CHANNELS.chooseFile]: (p) => deps.chooseFile(parse(chooseFileSchema, p, BRIDGE_CHANNELS.chooseFile)),
    [BRIDGE_CHANNELS.chooseSaveFile]: (p) => deps.chooseSaveFile(parse(chooseSaveFileSchema, p, BRIDGE_CHANNELS.chooseSaveFile)),
    [BRIDGE_CHANNELS.useCoordinator]: (p) => deps.useCoordinator(parse(connectionChoiceSchema, p, BRIDGE_CHANNELS.useCoordinator)),
    [BRIDGE_CHANNELS.currentRun]: (p) => deps.setCurrentRun(parse(currentRunSchema, p, BRIDGE_CHANNELS.currentRun)),
  };
}
