import { BrandLogo } from '../../../components/brand-mark';
import { logoImageUrl } from '../../logos';

interface InstanceLogoProps {
  accountName: string;
  logoId: string | null;
  logoVersion: string | null;
}

/** The account's logo in the instance header (at most 246 x 52, shown at most 40 high), else Bulwark's shield. */
export function InstanceLogo({ accountName, logoId, logoVersion }: InstanceLogoProps) {
  if (!logoId) {
    return (
      <span role="img" aria-label={`${accountName} logo: Bulwark default logo`} style={{ display: 'inline-flex', flexShrink: 0 }}>
        <BrandLogo size={28} />
      </span>
    );
  }
  return (
    <img
      src={logoImageUrl(logoId, logoVersion)}
      alt={`${accountName} logo`}
      style={{ display: 'block', flexShrink: 0, maxHeight: 40, maxWidth: 'min(185px, 30vw)', objectFit: 'contain' }}
    />
  );
}
