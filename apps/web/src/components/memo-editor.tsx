import type { MemoDto } from "@aimo/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";

import { uploadWithProgress, useTRPC } from "../api";
import { useI18n } from "../i18n";
import { renderMarkdown } from "../markdown";
import { AttachmentView } from "./attachment-view";
import { ErrorNote } from "./error-note";
import { LinkPicker } from "./link-picker";

interface Upload {
  key: string;
  file: File;
  preview?: string;
  progress: number;
  id?: string;
  error?: string;
}

const splitTags = (text: string) => [
  ...new Set(
    text
      .split(/[,，]/)
      .map((tag) => tag.trim().replace(/^#/, ""))
      .filter(Boolean),
  ),
];

/** Create (no memo) or edit a memo: Markdown with preview, tags, category, public flag, links, attachments. */
export function MemoEditor({ memo, onDone }: { memo?: MemoDto; onDone?: (memo: MemoDto) => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fieldId = useId();
  const tags = useQuery(trpc.tag.list.queryOptions());
  const categories = useQuery(trpc.category.list.queryOptions());

  const [content, setContent] = useState(memo?.content ?? "");
  const [tagText, setTagText] = useState(memo?.tags.map((tag) => tag.name).join(", ") ?? "");
  const [categoryName, setCategoryName] = useState("");
  const [isPublic, setIsPublic] = useState(memo?.isPublic ?? false);
  const [links, setLinks] = useState<string[]>(memo?.linkedMemoIds ?? []);
  const [keptAttachments, setKeptAttachments] = useState<string[]>(memo?.attachmentIds ?? []);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [previewing, setPreviewing] = useState(false);

  useEffect(() => {
    const name = categories.data?.find((c) => c.id === memo?.categoryId)?.name;
    if (name) setCategoryName(name);
  }, [categories.data, memo?.categoryId]);
  useEffect(() => () => uploads.forEach((u) => u.preview && URL.revokeObjectURL(u.preview)), [uploads]);

  const createCategory = useMutation(trpc.category.create.mutationOptions());
  const createMemo = useMutation(trpc.memo.create.mutationOptions());
  const updateMemo = useMutation(trpc.memo.update.mutationOptions());
  const save = useMutation({
    mutationFn: async () => {
      const name = categoryName.trim();
      let categoryId: string | null = null;
      if (name) {
        categoryId =
          categories.data?.find((c) => c.name === name)?.id ??
          (await createCategory.mutateAsync({ name })).id;
      }
      const fields = {
        content,
        tagNames: splitTags(tagText),
        categoryId,
        isPublic,
        linkedMemoIds: links,
        attachmentIds: [...keptAttachments, ...uploads.flatMap((u) => (u.id ? [u.id] : []))],
      };
      return memo ? updateMemo.mutateAsync({ id: memo.id, ...fields }) : createMemo.mutateAsync(fields);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries();
      if (!memo) {
        setContent("");
        setTagText("");
        setCategoryName("");
        setIsPublic(false);
        setLinks([]);
        setUploads([]);
      }
      onDone?.(saved);
    },
  });
  function addFiles(files: Iterable<File>) {
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      const preview = file.type.startsWith("image/") ? URL.createObjectURL(file) : undefined;
      const patch = (change: Partial<Upload>) =>
        setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
      setUploads((all) => [...all, { key, file, preview, progress: 0 }]);
      uploadWithProgress(file, (progress) => patch({ progress })).then(
        (attachment) => patch({ id: attachment.id, progress: 1 }),
        (error: Error) => patch({ error: error.message }),
      );
    }
  }

  const uploading = uploads.some((u) => !u.id && !u.error);
  const lastTag = tagText.split(/[,，]/).pop()?.trim().toLowerCase() ?? "";
  const chosen = new Set(splitTags(tagText));
  const suggestions = (tags.data ?? [])
    .filter((tag) => !chosen.has(tag.name) && (!lastTag || tag.name.toLowerCase().includes(lastTag)))
    .slice(0, 6);

  return (
    <form
      className="editor"
      aria-label={memo ? t("editMemo") : t("newMemo")}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        addFiles(event.dataTransfer.files);
      }}
    >
      <div className="editor-tabs" role="group" aria-label={t("editorMode")}>
        <button type="button" aria-pressed={!previewing} onClick={() => setPreviewing(false)}>
          {t("write")}
        </button>
        <button type="button" aria-pressed={previewing} onClick={() => setPreviewing(true)}>
          {t("preview")}
        </button>
      </div>
      {previewing ? (
        <div className="markdown preview" dangerouslySetInnerHTML={{ __html: renderMarkdown(content) }} />
      ) : (
        <label>
          <span className="visually-hidden">{t("content")}</span>
          <textarea
            name="content"
            value={content}
            rows={memo ? 8 : 4}
            placeholder={t("contentPlaceholder")}
            onChange={(e) => setContent(e.target.value)}
            onPaste={(event) => {
              if (event.clipboardData.files.length === 0) return;
              event.preventDefault();
              addFiles(event.clipboardData.files);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter" && (event.ctrlKey || event.metaKey))
                event.currentTarget.form?.requestSubmit();
            }}
          />
        </label>
      )}

      {(keptAttachments.length > 0 || uploads.length > 0) && (
        <ul className="uploads" aria-label={t("attach")}>
          {keptAttachments.map((id) => (
            <li key={id}>
              <AttachmentView id={id} />
              <button
                type="button"
                aria-label={t("removeAttachment")}
                onClick={() => setKeptAttachments((all) => all.filter((a) => a !== id))}
              >
                ×
              </button>
            </li>
          ))}
          {uploads.map((upload) => (
            <li key={upload.key} data-uploaded={upload.id ? "true" : "false"}>
              {upload.preview ? (
                <img src={upload.preview} alt={upload.file.name} className="upload-preview" />
              ) : (
                <span>📎 {upload.file.name}</span>
              )}
              {!upload.id && !upload.error && (
                <progress
                  value={upload.progress}
                  max={1}
                  aria-label={`${t("uploading")} ${upload.file.name}`}
                />
              )}
              {upload.error && (
                <span role="alert" className="error">
                  {upload.error}
                </span>
              )}
              <button
                type="button"
                aria-label={t("removeAttachment")}
                onClick={() => setUploads((all) => all.filter((u) => u.key !== upload.key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}

      <div className="editor-fields">
        <label>
          {t("tags")}
          <input
            name="tags"
            value={tagText}
            placeholder={t("tagsHint")}
            onChange={(e) => setTagText(e.target.value)}
            aria-describedby={`${fieldId}-tag-suggestions`}
          />
        </label>
        <div id={`${fieldId}-tag-suggestions`} className="suggestions" aria-live="polite">
          {suggestions.map((tag) => (
            <button
              type="button"
              key={tag.id}
              className="tag"
              onClick={() => {
                const parts = tagText
                  .split(/[,，]/)
                  .slice(0, -1)
                  .map((p) => p.trim())
                  .filter(Boolean);
                setTagText([...parts, tag.name].join(", ") + ", ");
              }}
            >
              #{tag.name}
            </button>
          ))}
        </div>
        <label>
          {t("category")}
          <input
            name="category"
            list={`${fieldId}-categories`}
            value={categoryName}
            placeholder={t("noCategory")}
            onChange={(e) => setCategoryName(e.target.value)}
          />
          <datalist id={`${fieldId}-categories`}>
            {categories.data?.map((c) => (
              <option key={c.id} value={c.name} />
            ))}
          </datalist>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={isPublic} onChange={(e) => setIsPublic(e.target.checked)} />
          {t("isPublic")}
        </label>
        <label className="file-button">
          {t("attach")}
          <input
            type="file"
            multiple
            onChange={(e) => {
              if (e.target.files) addFiles(e.target.files);
              e.target.value = "";
            }}
          />
        </label>
      </div>
      <LinkPicker selfId={memo?.id} links={links} onChange={setLinks} />

      <ErrorNote error={save.error} />
      <div className="editor-actions">
        {memo && onDone && (
          <button type="button" className="secondary" onClick={() => onDone(memo)}>
            {t("cancel")}
          </button>
        )}
        <button type="submit" disabled={save.isPending || uploading}>
          {save.isPending ? t("saving") : t("save")}
        </button>
      </div>
    </form>
  );
}
