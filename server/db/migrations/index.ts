import type { Migration } from 'kysely';
import * as foundation from './20261122T0300_foundation.js';
import * as msspPortal from './20261122T0400_mssp_portal.js';
import * as accountsLogos from './20261122T0410_accounts_logos.js';
import * as accountSearch from './20261122T0430_account_search.js';
import * as accountDirectory from './20261122T0500_account_directory.js';
import * as twoFactor from './20261122T0510_two_factor.js';
import * as signInHardening from './20261122T0520_sign_in_hardening.js';
import * as userAssist from './20261122T0530_user_assist.js';
import * as vulnerabilityData from './20261122T0600_vulnerability_data.js';
import * as instanceApi from './20261123T0100_instance_api.js';
import * as exportsMigration from './20261123T0200_exports.js';
import * as apiRateLimits from './20261123T0300_api_rate_limits.js';
import * as scanFiles from './20261123T0400_scan_files.js';
import * as knowledgeBase from './20261123T1100_knowledge_base.js';
import * as phoneSupport from './20261123T1110_phone_support.js';
import * as supportCases from './20261124T0100_support_cases.js';
import * as integrations from './20261125T0100_integrations.js';
import * as signals from './20261125T0200_signals.js';
import * as signalRawText from './20261126T0100_signal_raw_text.js';
import * as signalArtifactLinks from './20261127T0100_signal_artifact_links.js';

/** Every migration, by timestamped name. Add new ones at the end; never edit a landed one. */
export const MIGRATIONS: Record<string, Migration> = {
  '20261122T0300_foundation': foundation,
  '20261122T0400_mssp_portal': msspPortal,
  '20261122T0410_accounts_logos': accountsLogos,
  '20261122T0430_account_search': accountSearch,
  '20261122T0500_account_directory': accountDirectory,
  '20261122T0510_two_factor': twoFactor,
  '20261122T0520_sign_in_hardening': signInHardening,
  '20261122T0530_user_assist': userAssist,
  '20261122T0600_vulnerability_data': vulnerabilityData,
  '20261123T0100_instance_api': instanceApi,
  '20261123T0200_exports': exportsMigration,
  '20261123T0300_api_rate_limits': apiRateLimits,
  '20261123T0400_scan_files': scanFiles,
  '20261123T1100_knowledge_base': knowledgeBase,
  '20261123T1110_phone_support': phoneSupport,
  '20261124T0100_support_cases': supportCases,
  '20261125T0100_integrations': integrations,
  '20261125T0200_signals': signals,
  '20261126T0100_signal_raw_text': signalRawText,
  '20261127T0100_signal_artifact_links': signalArtifactLinks,
};
