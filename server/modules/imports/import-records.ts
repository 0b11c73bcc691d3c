import type { PluginSelection } from './finding-state.js';

/**
 * What the importer consumes: the scan file read as a stream of these (nessus-source.ts turns the
 * parser's records into them). Hosts are numbered in file order; items name their host by number.
 */

export interface StagedScan {
  name: string;
  policyName: string | null;
  /** The policy's plugin selection, or null when the file does not carry it. */
  pluginSelection: PluginSelection | null;
}

export interface StagedHost {
  /** The ReportHost name. */
  name: string;
  agentUuid: string | null;
  fqdn: string | null;
  netbiosName: string | null;
  ipv4: string | null;
  ipv6: string | null;
  hostname: string | null;
  macAddress: string | null;
  operatingSystem: string | null;
  credentialed: boolean;
  /** ISO strings, or null when the file does not say. */
  startedAt: string | null;
  endedAt: string | null;
  /** Every HostProperties tag. */
  properties: Record<string, string>;
}

export interface StagedPlugin {
  id: number;
  name: string;
  family: string | null;
  riskFactor: string | null;
  synopsis: string | null;
  description: string | null;
  solution: string | null;
  pluginType: string | null;
  cvssBaseScore: number | null;
  cvssVector: string | null;
  cvss3BaseScore: number | null;
  cvss3Vector: string | null;
  cve: string[];
  bid: string[];
  seeAlso: string[];
  xrefs: string[];
  exploitAvailable: boolean | null;
  publicationDate: string | null;
  modificationDate: string | null;
  /** Every other child element, by name. */
  attributes: Record<string, string | string[]>;
}

export interface StagedCompliance {
  /** Stable within the asset and plugin: the check's id when the file has one, else its name. */
  checkKey: string;
  checkName: string;
  result: string;
  auditFile: string | null;
  info: string | null;
  solution: string | null;
  reference: string | null;
  actualValue: string | null;
  policyValue: string | null;
  fields: Record<string, string>;
}

export interface StagedItem {
  pluginId: number;
  port: number;
  protocol: string;
  service: string | null;
  severity: number;
  output: string | null;
  /** Set for compliance checks, which are kept as compliance results, not findings. */
  compliance: StagedCompliance | null;
}

export type ImportEvent =
  | { type: 'scan'; scan: StagedScan }
  | { type: 'host'; index: number; host: StagedHost }
  | { type: 'plugin'; plugin: StagedPlugin }
  | { type: 'item'; hostIndex: number; item: StagedItem }
  | { type: 'progress'; bytesRead: number }
  /** Last: the content fingerprint (the same scan re-serialised gives the same one) and warnings. */
  | { type: 'end'; fingerprint: string; warnings: string[] };
