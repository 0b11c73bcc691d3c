export { useAddDomain, useApprovedDomains, useRemoveDomain } from './domains.api';
export { AddDomainForm } from './components/add-domain-form';
export { DomainsTable } from './components/domains-table';
