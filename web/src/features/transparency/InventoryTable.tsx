import { useTranslation } from 'react-i18next';
import type { TransparencyReport } from '../../../../src/modules/transparency/transparency.types';
import { useLanguage } from '../../i18n';

/**
 * The data inventory as the API gives it (generated from the retention schedule in force). On a phone each
 * row stacks, its cells labelled, rather than squeezing four columns of sentences into a narrow screen.
 */
export function InventoryTable({ items }: { items: TransparencyReport['inventory'] }) {
  const { t } = useTranslation();
  const { lang } = useLanguage();
  const columns = { why: t('transparency.inventory.why'), kept: t('transparency.inventory.kept'), who: t('transparency.inventory.who') };
  return (
    <table className="grid inventory">
      <thead>
        <tr>
          <th scope="col">{t('transparency.inventory.data')}</th>
          <th scope="col">{columns.why}</th>
          <th scope="col">{columns.kept}</th>
          <th scope="col">{columns.who}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.data}>
            <th scope="row">{item.label[lang]}</th>
            <td data-label={columns.why}>{item.why[lang]}</td>
            <td data-label={columns.kept}>{item.kept[lang]}</td>
            <td data-label={columns.who}>{item.who[lang]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
