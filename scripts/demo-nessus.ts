/**
 * The demo's own `.nessus` v2 files: a small, believable plugin catalogue and hosts, written here
 * so `npm run demo` needs nothing outside this repository. Each scan is a real Nessus v2 document
 * (Policy with plugin_set, ReportHost with HostProperties, ReportItems) read by the real importer.
 */

interface DemoPlugin {
  id: number;
  name: string;
  family: string;
  severity: 0 | 1 | 2 | 3 | 4;
  port: number;
  service: string;
  cvss3?: number;
  cves?: string[];
  synopsis: string;
  solution: string;
  /** How likely a host has it in the first scan (0..1). */
  prevalence: number;
}

const NETWORK_PLUGINS: readonly DemoPlugin[] = [
  {
    id: 19506,
    name: 'Nessus Scan Information',
    family: 'Settings',
    severity: 0,
    port: 0,
    service: 'general',
    synopsis: 'This plugin displays information about the Nessus scan.',
    solution: 'n/a',
    prevalence: 1,
  },
  {
    id: 11936,
    name: 'OS Identification',
    family: 'General',
    severity: 0,
    port: 0,
    service: 'general',
    synopsis: 'It is possible to guess the remote operating system.',
    solution: 'n/a',
    prevalence: 1,
  },
  {
    id: 22964,
    name: 'Service Detection',
    family: 'Service detection',
    severity: 0,
    port: 443,
    service: 'www',
    synopsis: 'The remote service could be identified.',
    solution: 'n/a',
    prevalence: 0.9,
  },
  {
    id: 10863,
    name: 'SSL Certificate Information',
    family: 'General',
    severity: 0,
    port: 443,
    service: 'www',
    synopsis: 'This plugin displays the SSL certificate.',
    solution: 'n/a',
    prevalence: 0.9,
  },
  {
    id: 25220,
    name: 'TCP/IP Timestamps Supported',
    family: 'General',
    severity: 0,
    port: 0,
    service: 'general',
    synopsis: 'The remote service implements TCP timestamps.',
    solution: 'n/a',
    prevalence: 0.8,
  },
  {
    id: 51192,
    name: 'SSL Certificate Cannot Be Trusted',
    family: 'General',
    severity: 2,
    port: 443,
    service: 'www',
    cvss3: 6.5,
    synopsis: 'The SSL certificate for this service cannot be trusted.',
    solution: 'Purchase or generate a proper SSL certificate for this service.',
    prevalence: 0.5,
  },
  {
    id: 57582,
    name: 'SSL Self-Signed Certificate',
    family: 'General',
    severity: 2,
    port: 443,
    service: 'www',
    cvss3: 6.5,
    synopsis: 'The SSL certificate chain for this service ends in an unrecognized self-signed certificate.',
    solution: 'Purchase or generate a proper SSL certificate for this service.',
    prevalence: 0.35,
  },
  {
    id: 104743,
    name: 'TLS Version 1.0 Protocol Detection',
    family: 'Service detection',
    severity: 2,
    port: 443,
    service: 'www',
    cvss3: 6.5,
    synopsis: 'The remote service encrypts traffic using an older version of TLS.',
    solution: 'Enable support for TLS 1.2 and 1.3, and disable support for TLS 1.0.',
    prevalence: 0.45,
  },
  {
    id: 42873,
    name: 'SSL Medium Strength Cipher Suites Supported (SWEET32)',
    family: 'General',
    severity: 3,
    port: 443,
    service: 'www',
    cvss3: 7.5,
    cves: ['CVE-2016-2183'],
    synopsis: 'The remote service supports the use of medium strength SSL ciphers.',
    solution: 'Reconfigure the affected application if possible to avoid use of medium strength ciphers.',
    prevalence: 0.4,
  },
  {
    id: 65821,
    name: 'SSL RC4 Cipher Suites Supported (Bar Mitzvah)',
    family: 'General',
    severity: 2,
    port: 443,
    service: 'www',
    cvss3: 5.9,
    cves: ['CVE-2013-2566', 'CVE-2015-2808'],
    synopsis: 'The remote service supports the use of the RC4 cipher.',
    solution: 'Reconfigure the affected application, if possible, to avoid use of RC4 ciphers.',
    prevalence: 0.2,
  },
  {
    id: 57608,
    name: 'SMB Signing not required',
    family: 'Misc.',
    severity: 2,
    port: 445,
    service: 'cifs',
    cvss3: 5.3,
    synopsis: 'Signing is not required on the remote SMB server.',
    solution: "Enforce message signing in the host's configuration.",
    prevalence: 0.4,
  },
  {
    id: 70658,
    name: 'SSH Server CBC Mode Ciphers Enabled',
    family: 'Misc.',
    severity: 1,
    port: 22,
    service: 'ssh',
    cvss3: 3.7,
    cves: ['CVE-2008-5161'],
    synopsis: 'The SSH server is configured to use Cipher Block Chaining.',
    solution: 'Disable CBC mode cipher encryption, and enable CTR or GCM cipher mode encryption.',
    prevalence: 0.5,
  },
  {
    id: 153953,
    name: 'SSH Weak Key Exchange Algorithms Enabled',
    family: 'Misc.',
    severity: 1,
    port: 22,
    service: 'ssh',
    cvss3: 3.7,
    synopsis: 'The remote SSH server is configured to allow weak key exchange algorithms.',
    solution: 'Disable the weak algorithms.',
    prevalence: 0.45,
  },
  {
    id: 187315,
    name: 'SSH Terrapin Prefix Truncation Weakness (CVE-2023-48795)',
    family: 'Misc.',
    severity: 2,
    port: 22,
    service: 'ssh',
    cvss3: 5.9,
    cves: ['CVE-2023-48795'],
    synopsis: 'The remote SSH server is vulnerable to a mitm prefix truncation attack.',
    solution: 'Contact the vendor for an update with the strict key exchange countermeasures or disable the affected algorithms.',
    prevalence: 0.35,
  },
  {
    id: 166602,
    name: 'OpenSSL 3.0.0 < 3.0.7 Multiple Vulnerabilities',
    family: 'Web Servers',
    severity: 3,
    port: 443,
    service: 'www',
    cvss3: 7.5,
    cves: ['CVE-2022-3602', 'CVE-2022-3786'],
    synopsis: 'The remote service is affected by multiple vulnerabilities.',
    solution: 'Upgrade to OpenSSL version 3.0.7 or later.',
    prevalence: 0.2,
  },
  {
    id: 156860,
    name: 'Apache Log4j < 2.15.0 Remote Code Execution (Log4Shell)',
    family: 'Misc.',
    severity: 4,
    port: 8080,
    service: 'www',
    cvss3: 10,
    cves: ['CVE-2021-44228'],
    synopsis: 'A logging library running on the remote host has a remote code execution vulnerability.',
    solution: 'Upgrade to Apache Log4j version 2.17.1 or later.',
    prevalence: 0.08,
  },
  {
    id: 108797,
    name: 'Unsupported Windows OS (remote)',
    family: 'Windows',
    severity: 4,
    port: 0,
    service: 'general',
    cvss3: 10,
    synopsis: 'The remote OS or service pack is no longer supported.',
    solution: 'Upgrade to a supported service pack or operating system.',
    prevalence: 0.06,
  },
  {
    id: 97833,
    name: 'MS17-010: Security Update for Microsoft Windows SMB Server (ETERNALBLUE)',
    family: 'Windows',
    severity: 4,
    port: 445,
    service: 'cifs',
    cvss3: 8.1,
    cves: ['CVE-2017-0143', 'CVE-2017-0144'],
    synopsis: 'The remote Windows host is affected by multiple vulnerabilities.',
    solution: 'Apply the security update MS17-010.',
    prevalence: 0.05,
  },
  {
    id: 161691,
    name: 'Oracle Java SE Multiple Vulnerabilities (April 2022 CPU)',
    family: 'Windows',
    severity: 3,
    port: 445,
    service: 'cifs',
    cvss3: 7.5,
    cves: ['CVE-2022-21449', 'CVE-2022-21476'],
    synopsis: 'The version of Oracle Java SE installed on the remote host is affected by multiple vulnerabilities.',
    solution: 'Apply the appropriate patch according to the April 2022 Oracle Critical Patch Update advisory.',
    prevalence: 0.15,
  },
  {
    id: 12085,
    name: 'Apache Tomcat Default Files',
    family: 'Web Servers',
    severity: 2,
    port: 8080,
    service: 'www',
    cvss3: 5.3,
    synopsis: 'The remote web server contains default files.',
    solution: 'Delete the default index page and remove the example JSP and servlets.',
    prevalence: 0.15,
  },
  {
    id: 10114,
    name: 'ICMP Timestamp Request Remote Date Disclosure',
    family: 'General',
    severity: 1,
    port: 0,
    service: 'icmp',
    cvss3: 3.3,
    cves: ['CVE-1999-0524'],
    synopsis: 'It is possible to determine the exact time set on the remote host.',
    solution: 'Filter out the ICMP timestamp requests (13), and the outgoing ICMP timestamp replies (14).',
    prevalence: 0.5,
  },
];

const WEB_APP_PLUGINS: readonly DemoPlugin[] = [
  {
    id: 98000,
    name: 'Scan Information',
    family: 'General',
    severity: 0,
    port: 443,
    service: 'www',
    synopsis: 'Information about the scan.',
    solution: 'n/a',
    prevalence: 1,
  },
  {
    id: 98112,
    name: 'Missing Content Security Policy',
    family: 'HTTP Security Header',
    severity: 1,
    port: 443,
    service: 'www',
    cvss3: 3.1,
    synopsis: 'The application does not set a Content Security Policy.',
    solution: 'Configure a Content-Security-Policy header.',
    prevalence: 1,
  },
  {
    id: 98063,
    name: 'Cookie Without HttpOnly Flag Detected',
    family: 'Cookie',
    severity: 1,
    port: 443,
    service: 'www',
    cvss3: 3.1,
    synopsis: 'A cookie is set without the HttpOnly flag.',
    solution: 'Set the HttpOnly flag on session cookies.',
    prevalence: 1,
  },
  {
    id: 98104,
    name: 'Cross-Site Scripting (XSS)',
    family: 'Cross Site Scripting',
    severity: 3,
    port: 443,
    service: 'www',
    cvss3: 7.1,
    synopsis: 'A reflected cross-site scripting vulnerability was found.',
    solution: 'Encode output and validate input.',
    prevalence: 1,
  },
  {
    id: 98115,
    name: 'SQL Injection',
    family: 'SQL Injection',
    severity: 4,
    port: 443,
    service: 'www',
    cvss3: 9.8,
    synopsis: 'A parameter is vulnerable to SQL injection.',
    solution: 'Use parameterised queries.',
    prevalence: 1,
  },
];

export interface DemoHost {
  name: string;
  ip: string;
  fqdn: string;
  netbios: string | null;
  os: string;
  mac: string;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable pseudo-random number in 0..1 for one host, plugin and scan. */
function draw(seed: string): number {
  let hash = 2166136261;
  for (let index = 0; index < seed.length; index += 1) {
    hash ^= seed.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return ((hash >>> 0) % 10_000) / 10_000;
}

/** The hosts of one demo customer: servers and workstations on its own network. */
export function demoHosts(accountKey: string, count: number, domain: string): DemoHost[] {
  const roles = ['web', 'app', 'db', 'mail', 'files', 'vpn', 'ws', 'ws', 'ws', 'build', 'dc', 'print'];
  const oses = [
    'Linux Kernel 5.15 on Ubuntu 22.04',
    'Microsoft Windows Server 2019 Standard',
    'Microsoft Windows 10 Enterprise',
    'Red Hat Enterprise Linux 8',
  ];
  const third = Math.floor(draw(`${accountKey}:net`) * 200) + 10;
  return Array.from({ length: count }, (_, index) => {
    const role = roles[index % roles.length] ?? 'host';
    const name = `${role}${String(index + 1).padStart(2, '0')}`;
    const os = oses[Math.floor(draw(`${accountKey}:${index}:os`) * oses.length)] ?? oses[0] ?? 'Linux';
    const ip = `10.${third}.${Math.floor(index / 200)}.${(index % 200) + 10}`;
    const mac = `00:50:56:${[1, 2, 3]
      .map((part) =>
        Math.floor(draw(`${accountKey}:${index}:mac${part}`) * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join(':')}`;
    return { name: ip, ip, fqdn: `${name}.${domain}`, netbios: os.includes('Windows') ? name.toUpperCase() : null, os, mac };
  });
}

/**
 * One scan of the series as a `.nessus` v2 document. `progress` (0 at the first scan, 1 at the
 * last) lowers the chance that each finding is still there (remediation), while a few come back.
 */
export function demoScanXml(options: {
  scanName: string;
  hosts: DemoHost[];
  at: Date;
  progress: number;
  accountKey: string;
  webApp?: string;
}): string {
  const plugins = options.webApp ? WEB_APP_PLUGINS : NETWORK_PLUGINS;
  const seconds = Math.floor(options.at.getTime() / 1000);
  const lines: string[] = [
    '<?xml version="1.0" ?>',
    '<NessusClientData_v2>',
    '<Policy><policyName>Basic Network Scan</policyName><Preferences><ServerPreferences>',
    `<preference><name>plugin_set</name><value>${plugins.map((plugin) => plugin.id).join(';')}</value></preference>`,
    `<preference><name>TARGET</name><value>${xml(options.webApp ?? options.hosts.map((host) => host.ip).join(','))}</value></preference>`,
    '</ServerPreferences></Preferences></Policy>',
    `<Report name="${xml(options.scanName)}" xmlns:cm="http://www.nessus.org/cm">`,
  ];
  const hosts: DemoHost[] = options.webApp
    ? [
        {
          name: options.webApp,
          ip: options.hosts[0]?.ip ?? '10.0.0.10',
          fqdn: new URL(options.webApp).hostname,
          netbios: null,
          os: 'Linux',
          mac: '',
        },
      ]
    : options.hosts;
  for (const [index, host] of hosts.entries()) {
    const start = seconds + index * 37;
    const end = start + 300 + Math.floor(draw(`${options.accountKey}:${host.name}:dur`) * 900);
    lines.push(`<ReportHost name="${xml(host.name)}"><HostProperties>`);
    lines.push(`<tag name="HOST_START_TIMESTAMP">${start}</tag><tag name="HOST_END_TIMESTAMP">${end}</tag>`);
    lines.push(
      `<tag name="host-ip">${host.ip}</tag><tag name="host-fqdn">${xml(host.fqdn)}</tag><tag name="hostname">${xml(host.fqdn.split('.')[0] ?? host.fqdn)}</tag>`,
    );
    if (host.netbios) lines.push(`<tag name="netbios-name">${host.netbios}</tag>`);
    lines.push(`<tag name="operating-system">${xml(host.os)}</tag>`);
    if (host.mac) lines.push(`<tag name="mac-address">${host.mac}</tag>`);
    lines.push('<tag name="Credentialed_Scan">false</tag></HostProperties>');
    for (const plugin of plugins) {
      const base = draw(`${options.accountKey}:${host.name}:${plugin.id}`);
      if (base >= plugin.prevalence) continue;
      // Remediation: higher-severity findings are more likely fixed as the series goes on; some come back.
      const stillThere =
        plugin.severity === 0 ||
        draw(`${options.accountKey}:${host.name}:${plugin.id}:fix`) > options.progress * (0.3 + plugin.severity * 0.12);
      const cameBack = draw(`${options.accountKey}:${host.name}:${plugin.id}:${options.scanName}`) < 0.05;
      if (!stillThere && !cameBack) continue;
      lines.push(
        `<ReportItem port="${plugin.port}" svc_name="${plugin.service}" protocol="${plugin.port === 0 && plugin.service === 'icmp' ? 'icmp' : 'tcp'}" severity="${plugin.severity}" pluginID="${plugin.id}" pluginName="${xml(plugin.name)}" pluginFamily="${xml(plugin.family)}">`,
        `<risk_factor>${['None', 'Low', 'Medium', 'High', 'Critical'][plugin.severity]}</risk_factor>`,
        `<synopsis>${xml(plugin.synopsis)}</synopsis>`,
        `<description>${xml(`${plugin.synopsis} (Demo data generated by Bulwark.)`)}</description>`,
        `<solution>${xml(plugin.solution)}</solution>`,
        ...(plugin.cvss3 !== undefined ? [`<cvss3_base_score>${plugin.cvss3.toFixed(1)}</cvss3_base_score>`] : []),
        ...(plugin.cves ?? []).map((cve) => `<cve>${cve}</cve>`),
        `<plugin_output>${xml(`Host ${host.fqdn} (${host.ip}), port ${plugin.port}/${plugin.service}: ${plugin.name}.`)}</plugin_output>`,
        '</ReportItem>',
      );
    }
    lines.push('</ReportHost>');
  }
  lines.push('</Report>', '</NessusClientData_v2>', '');
  return lines.join('\n');
}
