import { Button } from '@mantine/core';
import { IconArrowBackUp, IconBuildingSkyscraper } from '@tabler/icons-react';
import { ROLE_LABELS } from '../../../../../common/permissions.js';
import type { MeResponse } from '../../../../../common/schemas/auth.js';
import overlayBar from '../../../components/overlay-bar.module.css';
import { getErrorMessage } from '../../../lib/api-client';
import classes from './mssp-overlay.module.css';

/** The bar's height in pixels; the instance header grows by this much while it shows. */
export const MSSP_BAR_HEIGHT = 44;

interface MsspOverlayBarProps {
  accountName: string;
  user: MeResponse;
  onReturn: () => void;
  isReturning: boolean;
  returnError: unknown;
}

/**
 * The blue bar at the top of every instance page while a staff user is signed in from the MSSP
 * portal: which account, as whom, with which role, and the way back to the portal.
 */
export function MsspOverlayBar({ accountName, user, onReturn, isReturning, returnError }: MsspOverlayBarProps) {
  return (
    <div className={overlayBar.bar} style={{ height: MSSP_BAR_HEIGHT }} role="region" aria-label="MSSP portal sign-in">
      <IconBuildingSkyscraper size={20} aria-hidden className={overlayBar.wide} />
      <p className={overlayBar.text}>
        <span className={overlayBar.wide}>MSSP portal</span>
        <span className={`${overlayBar.separator} ${overlayBar.wide}`} aria-hidden>
          {' · '}
        </span>
        <span className={overlayBar.wide}>signed in to </span>
        <strong>{accountName}</strong>
        <span className={overlayBar.wide}>
          {' as '}
          <strong>{user.username}</strong> ({ROLE_LABELS[user.role]})
        </span>
      </p>
      {returnError !== null && (
        <span role="alert" className={classes.error}>
          {getErrorMessage(returnError)}
        </span>
      )}
      <Button
        size="compact-sm"
        variant="white"
        color="blue"
        leftSection={<IconArrowBackUp size={14} aria-hidden />}
        loading={isReturning}
        onClick={onReturn}
        aria-label="Return to MSSP Portal"
      >
        <span className={overlayBar.wide}>Return to MSSP Portal</span>
        <span className={overlayBar.narrow}>Portal</span>
      </Button>
    </div>
  );
}

/** The overlay's frame along the outside edges of the page; it never takes a click. */
export function MsspOverlayFrame() {
  return <div className={classes.frame} aria-hidden data-testid="mssp-frame" />;
}
