import type { ConnectorDefinition } from '../connector.js';
import { tenableConnector } from './tenable/tenable-connector.js';

/** Every connector Bulwark offers, in catalogue order. A new connector: a folder beside tenable/ and one line here. */
export const CONNECTORS: readonly ConnectorDefinition[] = [tenableConnector];
