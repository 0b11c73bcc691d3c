/**
 * The life of a finding (issue 5). A finding is one asset x plugin x port x protocol.
 *
 * - Reported for the first time: OPEN, first_found = last_found = the scan time of that host.
 * - Reported again by a later scan: last_found moves on; a FIXED finding becomes REOPENED with
 *   resurfaced_at = that scan time (last_fixed is kept, so the history shows both).
 * - Counts as FIXED when a later scan (a) scanned the asset, (b) ran the plugin on it, and (c) did
 *   not report the finding. "Ran the plugin" means: the scan reported that plugin on that asset
 *   on any port (so the check did execute there), or the scan's policy ran the plugin: its
 *   `plugin_set` preference lists it (when the file has one, it alone decides), else its family
 *   is enabled, or it is enabled individually in a mixed family. last_fixed = that scan
 *   time. A scan whose policy is unknown and that did not report the plugin on the asset fixes
 *   nothing: absence of evidence is not evidence of a fix.
 * - A scan older than the finding's last_found (an old file imported late) changes nothing but
 *   first_found (which moves earlier when that scan reported it).
 *
 * Pure: the import applies these to the rows it loaded.
 */

export type FindingState = 'OPEN' | 'REOPENED' | 'FIXED';

export interface FindingDates {
  state: FindingState;
  firstFound: Date;
  lastFound: Date;
  lastFixed: Date | null;
  resurfacedAt: Date | null;
}

/** The finding after a scan at `scanTime` reported it. */
export function whenReported(current: FindingDates | null, scanTime: Date): FindingDates {
  if (!current) return { state: 'OPEN', firstFound: scanTime, lastFound: scanTime, lastFixed: null, resurfacedAt: null };
  if (scanTime <= current.lastFound) {
    return scanTime < current.firstFound ? { ...current, firstFound: scanTime } : current;
  }
  if (current.state === 'FIXED') {
    // Fixed after it was last found: it came back. Fixed by an older scan only: still the same run.
    if (current.lastFixed && scanTime > current.lastFixed) {
      return { ...current, state: 'REOPENED', lastFound: scanTime, resurfacedAt: scanTime };
    }
  }
  return { ...current, lastFound: scanTime };
}

/** The finding after a scan at `scanTime` scanned its asset, ran its plugin and did not report it. */
export function whenNotReported(current: FindingDates, scanTime: Date): FindingDates {
  if (scanTime <= current.lastFound) return current;
  if (current.state === 'FIXED') return current;
  return { ...current, state: 'FIXED', lastFixed: scanTime };
}

/** A policy's plugin selection, as a .nessus file's Policy section states it. */
export interface PluginSelection {
  /** Family name -> 'enabled' | 'disabled' | 'mixed'. */
  families: ReadonlyMap<string, string>;
  /** Plugin id -> 'enabled' | 'disabled', for mixed families. */
  plugins: ReadonlyMap<number, string>;
  /** The scan's `plugin_set` preference: every plugin id it ran. When present it decides alone. */
  pluginSet?: ReadonlySet<number> | null;
}

/**
 * Whether the scan ran `pluginId` (of `family`) on the asset: it reported that plugin there, or
 * its policy enabled it. An unknown policy (null) enables nothing.
 */
export function didPluginRun(
  pluginId: number,
  family: string | null,
  reportedOnAsset: ReadonlySet<number>,
  selection: PluginSelection | null,
): boolean {
  if (reportedOnAsset.has(pluginId)) return true;
  if (!selection) return false;
  if (selection.pluginSet) return selection.pluginSet.has(pluginId);
  const individual = selection.plugins.get(pluginId);
  if (individual !== undefined) return individual === 'enabled';
  const familyStatus = family ? selection.families.get(family) : undefined;
  return familyStatus === 'enabled';
}
