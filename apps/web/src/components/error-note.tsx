import { useI18n } from "../i18n";

/** An error said out loud: role=alert makes screen readers announce it. */
export function ErrorNote({ error }: { error: { message: string } | null | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {t("error")}: {error.message}
    </p>
  );
}
