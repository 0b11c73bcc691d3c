import { BrandLogo } from '../../../components/brand-mark';
import { logoImageUrl } from '../logos.api';
import classes from './logo-image.module.css';

interface LogoImageProps {
  logoId: string | null;
  version?: string | null;
  /** Names the logo to screen readers. */
  alt: string;
  width?: number;
  height?: number;
}

/**
 * A logo preview on a checkered background (light logos stay visible), or Bulwark's own shield for
 * an account without a logo, as the seed's instances show the vendor's logo by default.
 */
export function LogoImage({ logoId, version, alt, width = 96, height = 28 }: LogoImageProps) {
  if (!logoId) {
    return (
      <span className={classes.defaultLogo} style={{ width, height }} role="img" aria-label={`${alt}: Bulwark default logo`}>
        <BrandLogo size={Math.min(height - 6, 22)} />
      </span>
    );
  }
  return (
    <span className={classes.checkered} style={{ width, height }}>
      <img className={classes.image} src={logoImageUrl(logoId, version)} alt={alt} loading="lazy" />
    </span>
  );
}
