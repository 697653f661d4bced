import { t } from '../shared/i18n';
import { isDecomposed, visibleSegments } from './visible-text';

/**
 * A key or value on one line (visible-text.ts): spaces at its ends marked, breaks and tabs as signs, a long
 * text cut (the cell's ellipsis shows it goes on). The marks draw spaces that are there, so the text content
 * stays the text itself; a key in another Unicode form than its look-alike gets a tag saying so.
 */
export function OneLine({ text, tagForm = false }: { text: string; tagForm?: boolean }) {
  const { segments } = visibleSegments(text);
  if (text === '') return <span class="sign">{t('textEmpty')}</span>;
  return (
    <>
      <bdi>
        {segments.map((segment, index) =>
          segment.kind === 'text' ? (
            segment.text
          ) : (
            <span key={index} class={segment.kind === 'space' ? 'ws' : 'sign'} title={segment.kind === 'space' ? t('titleSpaces') : undefined}>
              {segment.text}
            </span>
          ),
        )}
      </bdi>
      {tagForm && isDecomposed(text) && (
        <abbr class="form-tag" title={t('titleDecomposed')}>
          {t('tagDecomposed')}
        </abbr>
      )}
    </>
  );
}
