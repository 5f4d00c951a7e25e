/**
 * Restart Frame's addition to DAP `stackTrace` frames (docs/protocol.md, "Restart Frame").
 */

/** A stack frame as Dapper's adapter sends it: `restartRefusal` says why `canRestart` is false. */
export interface RestartableFrameFields {
  readonly canRestart?: boolean;
  /** A sentence for the user: why this frame cannot be restarted (absent when it can). */
  readonly restartRefusal?: string;
}

/** The reason to show for a frame that cannot be restarted, or undefined when it can. */
export function restartRefusalOf(frame: RestartableFrameFields): string | undefined {
  if (frame.canRestart !== false) return undefined;
  return frame.restartRefusal ?? 'This frame cannot be restarted.';
}
