import { PageHeader } from '../../components/page-header';
import { CustomerCareCaseForm, NewCaseGate } from '../../features/support-cases';

export function CustomerCareCasePage() {
  return (
    <>
      <PageHeader
        title="New Customer Care Case"
        description="For non-technical questions: orders, contacts, login, account administration."
      />
      <NewCaseGate kind="customerCare">
        {({ overview, catalog }) => (
          <CustomerCareCaseForm categories={catalog.careCategories} isFedrampAccount={overview.account?.isFedramp === true} />
        )}
      </NewCaseGate>
    </>
  );
}
