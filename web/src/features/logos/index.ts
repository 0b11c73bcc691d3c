export { logoImageUrl, useLogos } from './logos.api';
export { DeleteLogoModal } from './components/delete-logo-modal';
export { LogoFormDrawer } from './components/logo-form-drawer';
export { LogoImage } from './components/logo-image';
export { LogosTable } from './components/logos-table';
export { StatusMessage, useStatusMessage } from './components/status-message';
