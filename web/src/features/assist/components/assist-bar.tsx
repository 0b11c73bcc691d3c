import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconLifebuoy, IconX } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { ROLE_LABELS } from '../../../../../common/permissions.js';
import type { AssistingResponse } from '../../../../../common/schemas/assist.js';
import type { MeResponse } from '../../../../../common/schemas/auth.js';
import classes from '../../../components/overlay-bar.module.css';
import { getErrorMessage } from '../../../lib/api-client';
import { sessionQueryKey } from '../../auth';
import { returnFromAssist, useStopAssist } from '../assist.api';

/** The bar's height in pixels; the app shell's header grows by this much while assisting. */
export const ASSIST_BAR_HEIGHT = 44;

/** How often the session is checked while assisting, so an assist ended elsewhere shows here soon. */
const SESSION_CHECK_MS = 30_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

interface AssistBarProps {
  /** The assisted user (the session's user while assisting). */
  user: MeResponse;
  assisting: AssistingResponse;
}

/**
 * The blue overlay at the top of every page while an Administrator assists a user: who, their
 * role, when it ends, and the button that stops assisting. At the time limit it returns the
 * Administrator to the Users page by itself.
 */
export function AssistBar({ user, assisting }: AssistBarProps) {
  const stopAssist = useStopAssist();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const endsAt = new Date(assisting.endsAt);

  useEffect(() => {
    const untilEnd = Math.max(0, new Date(assisting.endsAt).getTime() - Date.now());
    // The server has ended it by then; one second later the session says so.
    const ending = window.setTimeout(() => void returnFromAssist(queryClient, navigate), untilEnd + 1000);
    const checking = window.setInterval(() => void queryClient.invalidateQueries({ queryKey: sessionQueryKey }), SESSION_CHECK_MS);
    return () => {
      window.clearTimeout(ending);
      window.clearInterval(checking);
    };
  }, [assisting.endsAt, queryClient, navigate]);

  const name = user.name || user.username;
  return (
    <div className={classes.bar} style={{ height: ASSIST_BAR_HEIGHT }} role="region" aria-label="User assist">
      <IconLifebuoy size={20} aria-hidden className={classes.wide} />
      {/* Phones keep who and the role; the username and the end time need a wider screen. */}
      <p className={classes.text} title={`Reason: ${assisting.reason}`}>
        <span className={classes.wide}>You are assisting </span>
        <span className={classes.narrow}>Assisting </span>
        <strong>{name}</strong>
        {user.name && <strong className={classes.wide}> ({user.username})</strong>}
        <Separator />
        <span className={classes.wide}>Role: </span>
        <strong>{ROLE_LABELS[user.role]}</strong>
        <span className={classes.wide}>
          <Separator />
          ends at {timeFormat.format(endsAt)}
        </span>
      </p>
      {stopAssist.isError && (
        <span role="alert" className={classes.wide}>
          {getErrorMessage(stopAssist.error)}
        </span>
      )}
      <Button
        size="compact-sm"
        variant="white"
        color="blue"
        leftSection={<IconX size={14} aria-hidden />}
        loading={stopAssist.isPending}
        onClick={() => stopAssist.mutate()}
        aria-label="Stop assisting"
      >
        <span className={classes.wide}>Stop assisting</span>
        <span className={classes.narrow}>Stop</span>
      </Button>
    </div>
  );
}

function Separator() {
  return (
    <span className={classes.separator} aria-hidden>
      {' · '}
    </span>
  );
}
