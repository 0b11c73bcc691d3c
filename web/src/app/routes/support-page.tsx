import { SupportLanding } from '../../features/support-cases';

/** /support: public; visitors see the tiles, guides and phone numbers, and every action asks them to sign in. */
export function SupportPage() {
  return <SupportLanding />;
}
