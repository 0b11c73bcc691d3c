import { Anchor, Text, Typography } from '@mantine/core';
import type { ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { Link } from 'react-router';
import remarkGfm from 'remark-gfm';
import classes from './help-markdown.module.css';

/** Links between the shipped documents, rewritten to their pages in the Resource Center. */
const DOCUMENT_PAGES: Record<string, string> = {
  'README.md': '/help/readme',
  'ARCHITECTURE.md': '/help/architecture',
  'CHANGELOG.md': '/help/release-notes',
};

function isExternal(href: string): boolean {
  return /^(https?:|mailto:)/i.test(href);
}

function resolveDocumentLink(href: string): string | null {
  const [file, hash] = href.replace(/^\.\//, '').split('#');
  const page = file ? DOCUMENT_PAGES[file] : undefined;
  if (page) return hash ? `${page}#${hash}` : page;
  if (href.startsWith('#') || href.startsWith('/')) return href;
  return null;
}

function MarkdownLink({ href, children }: { href?: string; children?: ReactNode }) {
  if (!href) return <>{children}</>;
  if (isExternal(href)) {
    return (
      <Anchor href={href} target="_blank" rel="noopener noreferrer" underline="always">
        {children}
      </Anchor>
    );
  }
  const target = resolveDocumentLink(href);
  if (target === null) return <>{children}</>; // A file in the repository that is not served: keep the words, drop the dead link.
  if (target.startsWith('#') || target.startsWith('/api/')) {
    return (
      <Anchor href={target} underline="always">
        {children}
      </Anchor>
    );
  }
  // Underlined: inside running text a link must not rely on colour alone.
  return (
    <Anchor component={Link} to={target} underline="always">
      {children}
    </Anchor>
  );
}

/** Images in the documents point into the repository (screenshots), which the server does not serve. */
function MarkdownImage({ src, alt }: { src?: string | Blob; alt?: string }) {
  if (typeof src === 'string' && (src.startsWith('data:') || isExternal(src))) return null;
  return alt ? (
    <Text component="span" size="sm" c="dimmed" fs="italic">
      [{alt}]
    </Text>
  ) : null;
}

// The page title is the only h1 (the document's own "# Title" is dropped); sections start at h2.
const components: Components = {
  h1: ({ children }) => <h2>{children}</h2>,
  // Wide code blocks scroll; focusable so keyboard users can scroll them too.
  pre: ({ children }) => <pre tabIndex={0}>{children}</pre>,
  a: ({ href, children }) => <MarkdownLink href={href}>{children}</MarkdownLink>,
  img: ({ src, alt }) => <MarkdownImage src={src} alt={alt} />,
};

/** Drops a leading "# Title" line: the page shows the document's title already. */
function stripLeadingTitle(markdown: string): string {
  return markdown.replace(/^\s*#\s+[^\n]*\n/, '');
}

export function HelpMarkdown({ markdown }: { markdown: string }) {
  return (
    <Typography className={classes.markdown}>
      <Markdown components={components} remarkPlugins={[remarkGfm]} skipHtml>
        {stripLeadingTitle(markdown)}
      </Markdown>
    </Typography>
  );
}
