import { PageHeader } from '../../components/page-header';
import { NewCaseGate, TechnicalCaseForm } from '../../features/support-cases';

export function TechnicalCasePage() {
  return (
    <>
      <PageHeader
        title="New Technical Support Case"
        description="For issues with your products: scanning or installation errors, unexpected behavior."
      />
      <NewCaseGate kind="technicalSupport">
        {({ overview, catalog }) => (
          <TechnicalCaseForm
            products={catalog.products}
            operatingSystems={catalog.operatingSystems}
            isFedrampAccount={overview.account?.isFedramp === true}
          />
        )}
      </NewCaseGate>
    </>
  );
}
