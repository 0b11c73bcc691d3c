import { ROLES, type RoleValue } from '../common/permissions.js';
import type { LicensedApp } from '../common/schemas/accounts.js';

/**
 * The demo MSSP, as plain data: who works there and which customers it serves. scripts/demo.ts
 * turns it into rows. Dates are offsets in days from the day the demo runs, so "expires in 12
 * days" stays true whenever it is run. Names, companies and addresses are invented; every email
 * domain ends in .example (RFC 2606), so no message can reach a real person.
 */

export const DEMO_DOMAIN = 'northwind-mssp.example';
export const DEMO_PASSWORD = 'Demo-Password-2026!';
export const DEMO_SEED = 20261122;

export interface DemoStaffMember {
  firstName: string;
  lastName: string;
  role: RoleValue;
  isSupportAgent: boolean;
  /** How many customer accounts are assigned (Administrators see all and get none). */
  assignedAccountCount: number;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = [
  { firstName: 'Alex', lastName: 'Morgan', role: ROLES.administrator, isSupportAgent: false, assignedAccountCount: 0 },
  { firstName: 'Priya', lastName: 'Raman', role: ROLES.scanManager, isSupportAgent: false, assignedAccountCount: 9 },
  { firstName: 'Daniel', lastName: 'Okafor', role: ROLES.standard, isSupportAgent: false, assignedAccountCount: 7 },
  { firstName: 'Sofia', lastName: 'Delgado', role: ROLES.scanOperator, isSupportAgent: false, assignedAccountCount: 6 },
  { firstName: 'Tom', lastName: 'Becker', role: ROLES.basic, isSupportAgent: false, assignedAccountCount: 4 },
  { firstName: 'Jordan', lastName: 'Ellis', role: ROLES.standard, isSupportAgent: true, assignedAccountCount: 5 },
];

export const PRODUCT_OF_APP: Record<LicensedApp, string> = {
  vm: 'Tenable.io Vulnerability Management',
  was: 'Tenable.io Web App Scanning',
  cs: 'Tenable.io Container Security',
};

export type ServiceLevel = 'Premium 24x7' | 'Standard' | 'Essentials';

export interface DemoLicense {
  app: LicensedApp;
  licensedAssets: number;
  assetLimit: number;
  /** Days from today; negative means already expired. */
  expiresInDays: number;
}

export interface DemoSubscription {
  product: string;
  serviceLevel: ServiceLevel;
  startsInDays: number;
  endsInDays: number;
}

/** Which pool contact names are drawn from, so a Tokyo customer has Japanese contacts. */
export type NamePool = 'us' | 'uk' | 'au' | 'de' | 'fr' | 'dk' | 'ja' | 'ca' | 'sg';

export interface DemoAccount {
  name: string;
  customName: string | null;
  siteId: string;
  region: string;
  companyName: string;
  postalAddress: string;
  emailDomain: string;
  contactMailbox: string;
  namePool: NamePool;
  isFedramp: boolean;
  isActive: boolean;
  customerForDays: number;
  licenses: DemoLicense[];
  /**
   * Each license gets a subscription of this level ending when it expires (term in termDays).
   * Null: no subscription at all, so Technical Support is refused (a trial).
   */
  serviceLevel: ServiceLevel | null;
  termDays: number;
  /** Subscriptions beyond the one per license, e.g. a renewal already booked. */
  extraSubscriptions?: DemoSubscription[];
  contactCount: 1 | 2 | 3;
  notes: string[];
  /**
   * The account's custom-name changes, oldest first, as the Custom Name Update History shows them:
   * each sets the custom name to `to` (null: removed) `daysAgo` days ago. The last one's `to` is
   * customName; the first one's old value is "no custom name".
   */
  customNameChanges?: DemoCustomNameChange[];
}

export interface DemoCustomNameChange {
  to: string | null;
  daysAgo: number;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    name: 'Acme Logistics',
    customName: 'Acme Logistics – East Coast',
    siteId: 'ACME-NYC-01',
    region: 'US',
    companyName: 'Acme Logistics Inc.',
    postalAddress: '400 Harbor Boulevard, Suite 1200\nNewark, NJ 07114\nUnited States',
    emailDomain: 'acme-logistics.example',
    contactMailbox: 'security',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 1460,
    licenses: [
      { app: 'vm', licensedAssets: 2350, assetLimit: 2500, expiresInDays: 210 },
      { app: 'was', licensedAssets: 41, assetLimit: 50, expiresInDays: 210 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 730,
    contactCount: 3,
    customNameChanges: [
      { to: 'Acme Logistics (NYC)', daysAgo: 1452 },
      { to: 'Acme Logistics – East Coast', daysAgo: 606 },
    ],
    notes: [
      'Primary contact prefers email over phone.',
      'Authenticated scans of the warehouse networks run Sundays 02:00 ET.',
      'Quarterly executive report due the first Monday of January, April, July and October.',
    ],
  },
  {
    name: 'Acme Logistics',
    customName: 'Acme Logistics – West Coast',
    siteId: 'ACME-LAX-01',
    region: 'US',
    companyName: 'Acme Logistics Inc.',
    postalAddress: '2100 E Carson Street\nLong Beach, CA 90810\nUnited States',
    emailDomain: 'acme-logistics.example',
    contactMailbox: 'security-west',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 610,
    licenses: [{ app: 'vm', licensedAssets: 780, assetLimit: 1000, expiresInDays: 210 }],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 1,
    customNameChanges: [{ to: 'Acme Logistics – West Coast', daysAgo: 606 }],
    notes: ['Separate container since the 2024 acquisition of Pacific Drayage.', 'Shares the East Coast escalation path.'],
  },
  {
    name: 'Contoso Health Partners',
    customName: null,
    siteId: 'CONTOSO-SEA-01',
    region: 'US',
    companyName: 'Contoso Health Partners, P.C.',
    postalAddress: '1500 Fourth Avenue, Floor 9\nSeattle, WA 98101\nUnited States',
    emailDomain: 'contoso-health.example',
    contactMailbox: 'infosec',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 1200,
    licenses: [
      { app: 'vm', licensedAssets: 4980, assetLimit: 5000, expiresInDays: 45 },
      { app: 'cs', licensedAssets: 120, assetLimit: 100, expiresInDays: 45 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 1095,
    contactCount: 3,
    notes: [
      'HIPAA covered entity: business associate agreement on file.',
      'Do not scan the PACS subnet 10.40.0.0/16 during clinic hours (07:00-19:00 PT).',
      'Critical findings on patient-facing systems go to the CISO within 4 hours.',
      'Container Security is 20 images over its limit: true-up quote pending.',
    ],
  },
  {
    name: 'Fabrikam Maschinenbau',
    customName: 'Fabrikam (Munich plant)',
    siteId: 'FABRIK-MUC-01',
    region: 'EU',
    companyName: 'Fabrikam Maschinenbau GmbH',
    postalAddress: 'Industriestraße 14\n80939 München\nGermany',
    emailDomain: 'fabrikam-mb.example',
    contactMailbox: 'it-sicherheit',
    namePool: 'de',
    isFedramp: false,
    isActive: true,
    customerForDays: 880,
    licenses: [{ app: 'vm', licensedAssets: 1210, assetLimit: 1500, expiresInDays: 300 }],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    customNameChanges: [
      { to: 'Fabrikam Munich', daysAgo: 874 },
      { to: 'Fabrikam (Munich plant)', daysAgo: 312 },
    ],
    notes: [
      'OT network (Purdue level 2 and below) is out of scope: passive monitoring only.',
      'GDPR: finding exports stay in the EU region.',
      'Change window: Saturdays 22:00-04:00 CET.',
    ],
  },
  {
    name: 'Northbridge Credit Union',
    customName: null,
    siteId: 'NBCU-CLT-01',
    region: 'US',
    companyName: 'Northbridge Federal Credit Union',
    postalAddress: '301 South Tryon Street\nCharlotte, NC 28202\nUnited States',
    emailDomain: 'northbridge-cu.example',
    contactMailbox: 'isoc',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 353,
    licenses: [
      { app: 'vm', licensedAssets: 640, assetLimit: 750, expiresInDays: 12 },
      { app: 'was', licensedAssets: 18, assetLimit: 25, expiresInDays: 12 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: ['Renewal quote sent; awaiting the CFO’s signature.', 'NCUA examination next quarter: keep PCI scan evidence ready.'],
  },
  {
    name: 'Tailspin Airways',
    customName: null,
    siteId: 'TAIL-LHR-01',
    region: 'UK',
    companyName: 'Tailspin Airways Ltd',
    postalAddress: 'Tailspin House, Bath Road\nHarmondsworth, West Drayton\nUB7 0DQ\nUnited Kingdom',
    emailDomain: 'tailspin-air.example',
    contactMailbox: 'cyber',
    namePool: 'uk',
    isFedramp: false,
    isActive: true,
    customerForDays: 1700,
    licenses: [
      { app: 'vm', licensedAssets: 8200, assetLimit: 8000, expiresInDays: 160 },
      { app: 'was', licensedAssets: 65, assetLimit: 60, expiresInDays: 160 },
      { app: 'cs', licensedAssets: 310, assetLimit: 500, expiresInDays: 160 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 1095,
    contactCount: 3,
    customNameChanges: [
      { to: 'Tailspin (LHR ops)', daysAgo: 1688 },
      { to: null, daysAgo: 402 },
    ],
    notes: [
      'Largest account by asset count.',
      'VM is 200 assets over its limit: true-up raised with the account manager.',
      'Airport kiosk VLANs are assessed by agents only, never by network scans.',
    ],
  },
  {
    name: 'Wingtip Toys Retail',
    customName: null,
    siteId: 'WING-MAN-01',
    region: 'UK',
    companyName: 'Wingtip Toys Retail Ltd',
    postalAddress: '22 Deansgate\nManchester M3 1RH\nUnited Kingdom',
    emailDomain: 'wingtip-toys.example',
    contactMailbox: 'it',
    namePool: 'uk',
    isFedramp: false,
    isActive: true,
    customerForDays: 760,
    licenses: [{ app: 'vm', licensedAssets: 310, assetLimit: 500, expiresInDays: -20 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 1,
    notes: ['Licence lapsed: renewal under discussion.', 'PCI DSS ASV scans are done by a third party.'],
  },
  {
    name: 'Kestrel Resources',
    customName: null,
    siteId: 'KEST-PER-01',
    region: 'AU',
    companyName: 'Kestrel Resources Pty Ltd',
    postalAddress: 'Level 18, 240 St Georges Terrace\nPerth WA 6000\nAustralia',
    emailDomain: 'kestrel-resources.example',
    contactMailbox: 'cybersecurity',
    namePool: 'au',
    isFedramp: false,
    isActive: true,
    customerForDays: 540,
    licenses: [{ app: 'vm', licensedAssets: 1900, assetLimit: 2000, expiresInDays: 95 }],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: [
      'Remote mine sites connect over satellite: agent scans only, throttled to 512 kbit/s.',
      'Essential Eight maturity report due each June.',
    ],
  },
  {
    name: 'Southern Cross Telecommunications',
    customName: 'SXT Telecom',
    siteId: 'SXT-SYD-01',
    region: 'AU',
    companyName: 'Southern Cross Telecommunications Limited',
    postalAddress: '100 Harris Street\nPyrmont NSW 2009\nAustralia',
    emailDomain: 'sxt-telecom.example',
    contactMailbox: 'soc',
    namePool: 'au',
    isFedramp: false,
    isActive: true,
    customerForDays: 1320,
    licenses: [
      { app: 'vm', licensedAssets: 12400, assetLimit: 15000, expiresInDays: 400 },
      { app: 'was', licensedAssets: 140, assetLimit: 150, expiresInDays: 400 },
      { app: 'cs', licensedAssets: 905, assetLimit: 1000, expiresInDays: 400 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 1095,
    contactCount: 3,
    customNameChanges: [
      { to: 'Southern Cross Telecom', daysAgo: 1315 },
      { to: 'SXT', daysAgo: 903 },
      { to: 'SXT Telecom', daysAgo: 901 },
    ],
    notes: [
      'Three-year enterprise agreement.',
      'Core network elements scanned from the dedicated scanner in the Sydney NOC only.',
      'Critical CVEs on customer-facing gateways: page the on-call SOC lead.',
    ],
  },
  {
    name: 'Sakura Precision Components',
    customName: null,
    siteId: 'SAKURA-TYO-01',
    region: 'JP',
    companyName: 'Sakura Precision Components K.K.',
    postalAddress: '2-7-1 Marunouchi, Chiyoda-ku\nTokyo 100-0005\nJapan',
    emailDomain: 'sakura-precision.example',
    contactMailbox: 'security',
    namePool: 'ja',
    isFedramp: false,
    isActive: true,
    customerForDays: 420,
    licenses: [{ app: 'vm', licensedAssets: 455, assetLimit: 500, expiresInDays: 250 }],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: ['Reports in Japanese on request; English is fine for cases.', 'Business hours are JST (UTC+9).'],
  },
  {
    name: 'Osaka Rail Freight',
    customName: null,
    siteId: 'ORF-OSA-01',
    region: 'JP',
    companyName: 'Osaka Rail Freight Co., Ltd.',
    postalAddress: '3-1-1 Umeda, Kita-ku\nOsaka 530-0001\nJapan',
    emailDomain: 'osaka-rail-freight.example',
    contactMailbox: 'it-security',
    namePool: 'ja',
    isFedramp: false,
    isActive: true,
    customerForDays: 300,
    licenses: [
      { app: 'vm', licensedAssets: 700, assetLimit: 700, expiresInDays: 30 },
      { app: 'cs', licensedAssets: 45, assetLimit: 50, expiresInDays: 30 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 1,
    notes: ['At its VM asset limit: new depots cannot be added until the renewal.'],
  },
  {
    name: 'Maple Leaf Energy',
    customName: null,
    siteId: 'MAPLE-YYC-01',
    region: 'CA',
    companyName: 'Maple Leaf Energy Corp.',
    postalAddress: '525 8 Avenue SW, Suite 3100\nCalgary, AB T2P 1G1\nCanada',
    emailDomain: 'mapleleaf-energy.example',
    contactMailbox: 'security',
    namePool: 'ca',
    isFedramp: false,
    isActive: true,
    customerForDays: 990,
    licenses: [{ app: 'vm', licensedAssets: 2610, assetLimit: 3000, expiresInDays: 180 }],
    serviceLevel: 'Premium 24x7',
    termDays: 730,
    contactCount: 2,
    notes: [
      'NERC CIP: medium-impact BES cyber systems are excluded from active scans.',
      'Pipeline SCADA is monitored passively by the customer’s own team.',
    ],
  },
  {
    name: 'Laurentian Financial Services',
    customName: null,
    siteId: 'LAUR-YUL-01',
    region: 'CA',
    companyName: 'Services financiers Laurentian inc.',
    postalAddress: '1000 rue De La Gauchetière Ouest\nMontréal, QC H3B 4W5\nCanada',
    emailDomain: 'laurentian-fs.example',
    contactMailbox: 'securite',
    namePool: 'ca',
    isFedramp: false,
    isActive: true,
    customerForDays: 640,
    licenses: [
      { app: 'vm', licensedAssets: 910, assetLimit: 1000, expiresInDays: 140 },
      { app: 'was', licensedAssets: 30, assetLimit: 30, expiresInDays: 140 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 3,
    notes: ['Bilingual contacts (EN/FR): reports in French on request.', 'OSFI B-13 evidence pack compiled every March.'],
  },
  {
    name: 'Liberty Federal Systems',
    customName: null,
    siteId: 'LIBFED-IAD-01',
    region: 'FedRAMP',
    companyName: 'Liberty Federal Systems LLC',
    postalAddress: '12010 Sunset Hills Road, Suite 600\nReston, VA 20190\nUnited States',
    emailDomain: 'libertyfed.example',
    contactMailbox: 'isso',
    namePool: 'us',
    isFedramp: true,
    isActive: true,
    customerForDays: 820,
    licenses: [
      { app: 'vm', licensedAssets: 3100, assetLimit: 3500, expiresInDays: 220 },
      { app: 'was', licensedAssets: 20, assetLimit: 25, expiresInDays: 220 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 365,
    contactCount: 3,
    notes: [
      'FedRAMP Moderate tenant.',
      'US persons only; never attach files with CUI to support cases.',
      'Continuous monitoring deliverables due on the 5th of each month.',
    ],
  },
  {
    name: 'Potomac Defense Analytics',
    customName: null,
    siteId: 'PDA-ARL-01',
    region: 'FedRAMP',
    companyName: 'Potomac Defense Analytics, Inc.',
    postalAddress: '1655 North Fort Myer Drive\nArlington, VA 22209\nUnited States',
    emailDomain: 'potomac-da.example',
    contactMailbox: 'security',
    namePool: 'us',
    isFedramp: true,
    isActive: true,
    customerForDays: 470,
    licenses: [{ app: 'vm', licensedAssets: 1460, assetLimit: 1500, expiresInDays: 60 }],
    serviceLevel: 'Premium 24x7',
    termDays: 365,
    contactCount: 2,
    notes: ['FedRAMP High boundary: scanners run inside the enclave.', 'POA&M review with the ISSO every second Tuesday.'],
  },
  {
    name: 'Granite State Benefits Administration',
    customName: 'GSBA',
    siteId: 'GSBA-CON-01',
    region: 'FedRAMP',
    companyName: 'Granite State Benefits Administration',
    postalAddress: '25 Capitol Street\nConcord, NH 03301\nUnited States',
    emailDomain: 'gsba.example',
    contactMailbox: 'ciso-office',
    namePool: 'us',
    isFedramp: true,
    isActive: true,
    customerForDays: 200,
    licenses: [{ app: 'vm', licensedAssets: 610, assetLimit: 1000, expiresInDays: 5 }],
    serviceLevel: 'Standard',
    termDays: 365,
    extraSubscriptions: [{ product: PRODUCT_OF_APP.vm, serviceLevel: 'Standard', startsInDays: 5, endsInDays: 370 }],
    contactCount: 2,
    customNameChanges: [{ to: 'GSBA', daysAgo: 196 }],
    notes: [
      'Renewal signed: the new term starts when the current one ends.',
      'Procurement requires invoices by mail to the postal address.',
    ],
  },
  {
    name: 'Harborview Unified School District',
    customName: null,
    siteId: 'HUSD-SEA-01',
    region: 'US',
    companyName: 'Harborview Unified School District No. 412',
    postalAddress: '3000 Harborview Drive\nTacoma, WA 98402\nUnited States',
    emailDomain: 'harborview-usd.example',
    contactMailbox: 'techservices',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 700,
    licenses: [{ app: 'vm', licensedAssets: 1820, assetLimit: 2500, expiresInDays: 120 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 2,
    notes: ['E-Rate funded: invoices go to the district business office.', 'Summer break is the preferred window for agent roll-outs.'],
  },
  {
    name: 'Bluewater Shipping',
    customName: null,
    siteId: 'BLUE-CPH-01',
    region: 'EU',
    companyName: 'Bluewater Shipping A/S',
    postalAddress: 'Kalkbrænderiløbskaj 8\n2100 København Ø\nDenmark',
    emailDomain: 'bluewater-shipping.example',
    contactMailbox: 'itsec',
    namePool: 'dk',
    isFedramp: false,
    isActive: true,
    customerForDays: 510,
    licenses: [
      { app: 'vm', licensedAssets: 560, assetLimit: 600, expiresInDays: 75 },
      { app: 'cs', licensedAssets: 80, assetLimit: 100, expiresInDays: 75 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: ['Vessels connect intermittently: agents report when in port.', 'NIS2 essential entity.'],
  },
  {
    name: 'Alpenglow Resorts',
    customName: null,
    siteId: 'ALPEN-INN-01',
    region: 'EU',
    companyName: 'Alpenglow Resorts GmbH',
    postalAddress: 'Maria-Theresien-Straße 18\n6020 Innsbruck\nAustria',
    emailDomain: 'alpenglow-resorts.example',
    contactMailbox: 'it',
    namePool: 'de',
    isFedramp: false,
    isActive: true,
    customerForDays: 260,
    licenses: [{ app: 'was', licensedAssets: 12, assetLimit: 20, expiresInDays: 105 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 1,
    notes: [
      'Web App Scanning only: the booking portal and three marketing sites.',
      'Scan window 01:00-05:00 CET, never on Saturdays in ski season.',
    ],
  },
  {
    name: 'Helix Biotech',
    customName: null,
    siteId: 'HELIX-LYS-01',
    region: 'EU',
    companyName: 'Helix Biotech SAS',
    postalAddress: '60 avenue Rockefeller\n69008 Lyon\nFrance',
    emailDomain: 'helix-biotech.example',
    contactMailbox: 'securite-si',
    namePool: 'fr',
    isFedramp: false,
    isActive: true,
    customerForDays: 330,
    licenses: [
      { app: 'vm', licensedAssets: 380, assetLimit: 400, expiresInDays: 35 },
      { app: 'was', licensedAssets: 8, assetLimit: 10, expiresInDays: 35 },
      { app: 'cs', licensedAssets: 62, assetLimit: 50, expiresInDays: 35 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: [
      'Lab instruments run unsupported Windows builds: isolate, do not patch without validation.',
      'Container Security over its limit since the CI migration.',
    ],
  },
  {
    name: 'Orion Pharmaceuticals',
    customName: null,
    siteId: 'ORION-CAM-01',
    region: 'UK',
    companyName: 'Orion Pharmaceuticals plc',
    postalAddress: 'Orion Park, Milton Road\nCambridge CB4 0WG\nUnited Kingdom',
    emailDomain: 'orion-pharma.example',
    contactMailbox: 'information.security',
    namePool: 'uk',
    isFedramp: false,
    isActive: true,
    customerForDays: 1100,
    licenses: [{ app: 'vm', licensedAssets: 2105, assetLimit: 2500, expiresInDays: 260 }],
    serviceLevel: 'Premium 24x7',
    termDays: 730,
    contactCount: 3,
    notes: [
      'GxP-validated systems: remediation needs a change request approved by QA.',
      'Manufacturing execution systems are scanned in the monthly maintenance window only.',
    ],
  },
  {
    name: 'Ashcombe & Vane',
    customName: null,
    siteId: 'ASHV-LON-01',
    region: 'UK',
    companyName: 'Ashcombe & Vane LLP',
    postalAddress: '1 Fleet Place\nLondon EC4M 7RA\nUnited Kingdom',
    emailDomain: 'ashcombe-vane.example',
    contactMailbox: 'itsecurity',
    namePool: 'uk',
    isFedramp: false,
    isActive: true,
    customerForDays: 450,
    licenses: [
      { app: 'vm', licensedAssets: 262, assetLimit: 300, expiresInDays: 70 },
      { app: 'was', licensedAssets: 4, assetLimit: 5, expiresInDays: 70 },
    ],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 1,
    notes: ['Cyber Essentials Plus renewal in the autumn.'],
  },
  {
    name: 'Pinnacle Mutual Insurance Group',
    customName: 'Pinnacle Insurance',
    siteId: 'PMIG-HFD-01',
    region: 'US',
    companyName: 'Pinnacle Mutual Insurance Group, Inc.',
    postalAddress: '1 Financial Plaza\nHartford, CT 06103\nUnited States',
    emailDomain: 'pinnacle-mutual.example',
    contactMailbox: 'cyber-defense',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 1500,
    licenses: [
      { app: 'vm', licensedAssets: 6100, assetLimit: 6000, expiresInDays: 300 },
      { app: 'was', licensedAssets: 55, assetLimit: 75, expiresInDays: 300 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 1095,
    contactCount: 3,
    customNameChanges: [
      { to: 'Pinnacle Mutual', daysAgo: 1493 },
      { to: 'Pinnacle Insurance', daysAgo: 415 },
    ],
    notes: [
      'NYDFS Part 500: annual certification evidence due April 15.',
      'VM over its limit after the agency network merger; customer approved the overage.',
      'Call the primary contact before any scan of the claims mainframe gateway.',
    ],
  },
  {
    name: 'Coho Vineyard & Winery',
    customName: null,
    siteId: 'COHO-NAP-01',
    region: 'US',
    companyName: 'Coho Vineyard & Winery LLC',
    postalAddress: '4500 Silverado Trail\nNapa, CA 94558\nUnited States',
    emailDomain: 'coho-winery.example',
    contactMailbox: 'office',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 230,
    licenses: [{ app: 'vm', licensedAssets: 84, assetLimit: 100, expiresInDays: 200 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 1,
    notes: [],
  },
  {
    name: 'Trey Research',
    customName: null,
    siteId: 'TREY-BOS-01',
    region: 'US',
    companyName: 'Trey Research Labs, Inc.',
    postalAddress: '245 First Street\nCambridge, MA 02142\nUnited States',
    emailDomain: 'trey-research.example',
    contactMailbox: 'appsec',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 380,
    licenses: [{ app: 'was', licensedAssets: 28, assetLimit: 30, expiresInDays: 8 }],
    serviceLevel: 'Standard',
    termDays: 365,
    contactCount: 2,
    notes: [
      'Web App Scanning only: customer portal, partner API and the research data site.',
      'Renewal expected to add Vulnerability Management.',
    ],
  },
  {
    name: 'Straits Fintech',
    customName: null,
    siteId: 'STRAITS-SIN-01',
    region: 'SG',
    companyName: 'Straits Fintech Pte. Ltd.',
    postalAddress: '8 Marina View, #30-01\nAsia Square Tower 1\nSingapore 018960',
    emailDomain: 'straits-fintech.example',
    contactMailbox: 'security',
    namePool: 'sg',
    isFedramp: false,
    isActive: true,
    customerForDays: 280,
    licenses: [
      { app: 'vm', licensedAssets: 500, assetLimit: 500, expiresInDays: 150 },
      { app: 'cs', licensedAssets: 214, assetLimit: 300, expiresInDays: 150 },
    ],
    serviceLevel: 'Premium 24x7',
    termDays: 365,
    contactCount: 2,
    notes: ['MAS TRM guidelines apply: critical findings fixed within 14 days.', 'Kubernetes clusters in two cloud regions.'],
  },
  {
    name: 'Redwood Municipal Utilities',
    customName: null,
    siteId: 'RMU-SAC-01',
    region: 'US',
    companyName: 'Redwood Municipal Utility District',
    postalAddress: '6201 S Street\nSacramento, CA 95817\nUnited States',
    emailDomain: 'redwood-mud.example',
    contactMailbox: 'cybersecurity',
    namePool: 'us',
    isFedramp: false,
    isActive: true,
    customerForDays: 900,
    licenses: [{ app: 'vm', licensedAssets: 1150, assetLimit: 1200, expiresInDays: 330 }],
    serviceLevel: 'Standard',
    termDays: 730,
    contactCount: 2,
    notes: ['Water treatment SCADA is excluded; IT network only.', 'Board reporting each quarter through the general manager.'],
  },
  {
    name: 'Evergreen Hotels Group',
    customName: 'Evergreen Hotels – Trial',
    siteId: 'EVG-YVR-01',
    region: 'CA',
    companyName: 'Evergreen Hotels Group Ltd.',
    postalAddress: '1038 Canada Place\nVancouver, BC V6C 0B9\nCanada',
    emailDomain: 'evergreen-hotels.example',
    contactMailbox: 'it',
    namePool: 'ca',
    isFedramp: false,
    isActive: true,
    customerForDays: 9,
    licenses: [
      { app: 'vm', licensedAssets: 52, assetLimit: 65, expiresInDays: 21 },
      { app: 'cs', licensedAssets: 6, assetLimit: 25, expiresInDays: 21 },
    ],
    serviceLevel: null,
    termDays: 30,
    contactCount: 1,
    customNameChanges: [{ to: 'Evergreen Hotels – Trial', daysAgo: 8 }],
    notes: [
      '30-day evaluation: no support subscription, so Technical Support cases are refused.',
      'Decision meeting with the CIO at the end of the trial.',
    ],
  },
  {
    name: 'Lakeside Family Medical',
    customName: null,
    siteId: 'LFMC-MSN-01',
    region: 'US',
    companyName: 'Lakeside Family Medical Clinic, S.C.',
    postalAddress: '702 University Avenue\nMadison, WI 53715\nUnited States',
    emailDomain: 'lakeside-medical.example',
    contactMailbox: 'practice.manager',
    namePool: 'us',
    isFedramp: false,
    isActive: false,
    customerForDays: 1000,
    licenses: [{ app: 'vm', licensedAssets: 140, assetLimit: 150, expiresInDays: -95 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 1,
    notes: [
      'Deactivated: the practice was acquired by Contoso Health Partners.',
      'Assets moved to CONTOSO-SEA-01; kept for audit retention until year end.',
    ],
  },
  {
    name: 'Quantum Freight Brokers',
    customName: null,
    siteId: 'QFB-DAL-01',
    region: 'US',
    companyName: 'Quantum Freight Brokers LLC',
    postalAddress: '2323 Ross Avenue, Suite 700\nDallas, TX 75201\nUnited States',
    emailDomain: 'quantum-freight.example',
    contactMailbox: 'it',
    namePool: 'us',
    isFedramp: false,
    isActive: false,
    customerForDays: 1300,
    licenses: [{ app: 'vm', licensedAssets: 0, assetLimit: 250, expiresInDays: -400 }],
    serviceLevel: 'Essentials',
    termDays: 365,
    contactCount: 1,
    notes: ['Deactivated: contract not renewed.'],
  },
];

export interface DemoLogo {
  name: string;
  fileName: string;
  /** At most 246 x 52 pixels, the largest logo Bulwark accepts. */
  width: number;
  height: number;
  /** Capitals, spaces, '&' and '-' only (the demo's pixel font). */
  initials: string;
  wordMark: string;
  /** #rrggbb colours; background null is transparent (a light logo, shown on a checkered preview). */
  background: string | null;
  foreground: string;
  accent: string;
  badgeText: string;
  addedDaysAgo: number;
  /** Site identifiers of the accounts that show this logo. */
  siteIds: readonly string[];
}

/**
 * The logos the demo draws (scripts/demo-logos.ts) and stores: the MSSP's own co-branding, used by
 * customers without a brand of their own, a light variant for dark pages (used by none), and a
 * few customers' brands. About a third of the accounts get one.
 */
export const DEMO_LOGOS: readonly DemoLogo[] = [
  {
    name: 'Northwind Blue',
    fileName: 'northwind-blue.png',
    width: 246,
    height: 52,
    initials: 'NW',
    wordMark: 'NORTHWIND',
    background: '#0b2545',
    foreground: '#ffffff',
    accent: '#3e8ed0',
    badgeText: '#ffffff',
    addedDaysAgo: 1600,
    siteIds: ['TREY-BOS-01', 'COHO-NAP-01', 'STRAITS-SIN-01', 'HELIX-LYS-01', 'ALPEN-INN-01'],
  },
  {
    name: 'Northwind Light',
    fileName: 'northwind-light.png',
    width: 246,
    height: 52,
    initials: 'NW',
    wordMark: 'NORTHWIND',
    background: null,
    foreground: '#ffffff',
    accent: '#cfe3f5',
    badgeText: '#0b2545',
    addedDaysAgo: 1600,
    siteIds: [],
  },
  {
    name: 'Acme Logistics',
    fileName: 'acme-logistics.png',
    width: 240,
    height: 48,
    initials: 'A',
    wordMark: 'ACME LOGISTICS',
    background: '#ffffff',
    foreground: '#2b2b2b',
    accent: '#f28c28',
    badgeText: '#ffffff',
    addedDaysAgo: 1440,
    siteIds: ['ACME-NYC-01', 'ACME-LAX-01'],
  },
  {
    name: 'Contoso Health',
    fileName: 'contoso-health-2023.png',
    width: 180,
    height: 40,
    initials: 'CH',
    wordMark: 'CONTOSO',
    background: '#f4faf6',
    foreground: '#1b5e3b',
    accent: '#2e9d5b',
    badgeText: '#ffffff',
    addedDaysAgo: 1180,
    siteIds: ['CONTOSO-SEA-01'],
  },
  {
    name: 'Pinnacle Insurance',
    fileName: 'PMIG_logo_small.png',
    width: 220,
    height: 44,
    initials: 'P',
    wordMark: 'PINNACLE',
    background: '#ffffff',
    foreground: '#4a2c6f',
    accent: '#8e5cc4',
    badgeText: '#ffffff',
    addedDaysAgo: 410,
    siteIds: ['PMIG-HFD-01'],
  },
  {
    name: 'SXT Telecom',
    fileName: 'sxt.png',
    width: 150,
    height: 36,
    initials: 'SX',
    wordMark: 'SXT',
    background: '#e8f6f7',
    foreground: '#0f5c63',
    accent: '#17a2b8',
    badgeText: '#ffffff',
    addedDaysAgo: 890,
    siteIds: ['SXT-SYD-01'],
  },
];

/** First and last names per pool; contacts are drawn from these by the seeded generator. */
export const NAME_POOLS: Record<NamePool, { firstNames: readonly string[]; lastNames: readonly string[] }> = {
  us: {
    firstNames: [
      'Emily',
      'James',
      'Olivia',
      'Michael',
      'Sarah',
      'David',
      'Aisha',
      'Carlos',
      'Hannah',
      'Kevin',
      'Grace',
      'Marcus',
      'Rachel',
      'Ethan',
      'Nicole',
      'Samuel',
      'Laura',
      'Brian',
      'Megan',
      'Omar',
      'Jasmine',
      'Tyler',
      'Natalie',
      'Andre',
    ],
    lastNames: [
      'Thompson',
      'Rivera',
      'Patel',
      'Nguyen',
      'Walker',
      'Brooks',
      'Hughes',
      'Kim',
      'Foster',
      'Bennett',
      'Coleman',
      'Reyes',
      'Murphy',
      'Sullivan',
      'Price',
      'Bailey',
      'Jenkins',
      'Ward',
      'Hayes',
      'Simmons',
      'Washington',
      'Goldberg',
    ],
  },
  uk: {
    firstNames: [
      'Oliver',
      'Charlotte',
      'Harry',
      'Amelia',
      'George',
      'Isla',
      'Jack',
      'Sophie',
      'Thomas',
      'Lucy',
      'Rhys',
      'Niamh',
      'Callum',
      'Imogen',
      'Ravi',
      'Zara',
    ],
    lastNames: [
      'Clarke',
      'Evans',
      'Davies',
      'Wright',
      'Turner',
      'Robinson',
      'Ahmed',
      'Fletcher',
      'Marsh',
      'Pemberton',
      'Holloway',
      'Khan',
      'Griffiths',
      'MacLeod',
    ],
  },
  au: {
    firstNames: ['Lachlan', 'Chloe', 'Mitchell', 'Zoe', 'Brodie', 'Jessica', 'Hamish', 'Tahlia', 'Liam', 'Matilda', 'Cooper', 'Georgia'],
    lastNames: ['Campbell', 'Nguyen', 'Fraser', 'Kelly', 'McKenzie', 'Harris', 'Lee', 'Watson', 'Ryan', 'Papadopoulos', 'Singh'],
  },
  de: {
    firstNames: ['Lukas', 'Anna', 'Felix', 'Katharina', 'Jonas', 'Lena', 'Maximilian', 'Sophie', 'Tobias', 'Julia', 'Jürgen', 'Miriam'],
    lastNames: ['Müller', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Wagner', 'Krüger', 'Yilmaz'],
  },
  fr: {
    firstNames: ['Camille', 'Julien', 'Manon', 'Thomas', 'Léa', 'Antoine', 'Chloé', 'Mathieu', 'Élodie', 'Nicolas', 'Inès', 'Karim'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Rousseau', 'Fontaine', 'Benali'],
  },
  dk: {
    firstNames: ['Søren', 'Freja', 'Mads', 'Ida', 'Rasmus', 'Astrid', 'Mikkel', 'Sofie', 'Anders', 'Mette'],
    lastNames: ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Madsen'],
  },
  ja: {
    firstNames: ['Haruto', 'Yui', 'Sota', 'Hina', 'Ren', 'Aoi', 'Takumi', 'Sakura', 'Kenji', 'Yuko', 'Daisuke', 'Emi'],
    lastNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato'],
  },
  ca: {
    firstNames: ['Émilie', 'Jean-Philippe', 'Olivia', 'Liam', 'Geneviève', 'Mathieu', 'Ava', 'Noah', 'Chantal', 'Raj', 'Mei', 'Owen'],
    lastNames: ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Campbell', 'MacDonald', 'Wong', 'Singh', 'Martin'],
  },
  sg: {
    firstNames: ['Wei Ling', 'Jun Jie', 'Priya', 'Arjun', 'Siti', 'Hafiz', 'Mei Xin', 'Darren', 'Nur Aisyah', 'Kelvin'],
    lastNames: ['Tan', 'Lim', 'Lee', 'Ng', 'Wong', 'Rahman', 'Nair', 'Goh', 'Chua', 'Ong'],
  },
};

/** Contact roles after the first (who is always an Administrator), weighted towards the common ones. */
export const SECONDARY_CONTACT_ROLES: readonly RoleValue[] = [
  ROLES.basic,
  ROLES.scanOperator,
  ROLES.standard,
  ROLES.standard,
  ROLES.scanManager,
  ROLES.scanManager,
  ROLES.administrator,
];

/**
 * What a contact after the first can do, drawn by weight: some have signed in, some are still
 * invited (no password yet), and some may not open Technical Support cases (no Manage Cases).
 */
export const SECONDARY_CONTACT_PROFILES: readonly { canManageCases: boolean; hasPassword: boolean }[] = [
  { canManageCases: true, hasPassword: true },
  { canManageCases: true, hasPassword: true },
  { canManageCases: true, hasPassword: true },
  { canManageCases: false, hasPassword: true },
  { canManageCases: false, hasPassword: true },
  { canManageCases: true, hasPassword: false },
  { canManageCases: false, hasPassword: false },
  { canManageCases: false, hasPassword: false },
];
