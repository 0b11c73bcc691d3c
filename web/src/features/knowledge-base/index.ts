export { useDeleteKbArticle, useKbArticle, useKbArticles, useSaveKbArticle } from './knowledge-base.api';
export { KbArticleForm } from './components/kb-article-form';
export { KbArticleView } from './components/kb-article-view';
