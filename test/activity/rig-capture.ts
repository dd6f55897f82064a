// The activity capture of a bot rig: the app's own once src/app.ts wires it, else one attached
// here exactly as the app would (same listeners, same Deps field), so these tests run either way.
import { attachActivityCapture } from '../../src/activity/attach.ts';
import { createActivityCapture, type ActivityCapture } from '../../src/activity/capture.ts';
import { noActivity } from '../../src/activity/sink.ts';
import type { BotRig } from '../rigs/bot.ts';

export interface RigCapture {
  capture: ActivityCapture;
  /** Call before rig.stop(): detaches and flushes a capture this helper made (the app stops its own). */
  stop(): Promise<void>;
}

export function captureFor(rig: BotRig): RigCapture {
  const wired = rig.app.deps.activity;
  if (wired !== noActivity) {
    if (!('flush' in wired)) throw new Error('deps.activity is wired but is not the activity capture (createActivityCapture)');
    return { capture: wired as ActivityCapture, stop: async () => undefined };
  }
  const capture = createActivityCapture({ db: rig.app.db, clock: rig.app.deps.clock, logger: rig.logs.logger });
  const detach = attachActivityCapture(rig.app.client, capture, { guildId: rig.config.guildId });
  rig.app.deps.activity = capture;
  return {
    capture,
    async stop() {
      detach();
      await capture.stop();
    },
  };
}
