/** Why a share link could not be opened (shown to the visitor). */
export const share = {
  noCode: { en: "This link does not contain shared code.", zh: "此链接中没有分享的代码。" },
  tooLong: { en: "This share link is too long ({length} characters; the limit is {limit}).", zh: "此分享链接过长（{length} 个字符，上限为 {limit}）。" },
  newerVersion: {
    en: "This share link was made by a newer or unknown version of webgrad and cannot be opened.",
    zh: "此分享链接由更新或未知版本的 webgrad 生成，无法打开。",
  },
  badCharacters: {
    en: "This share link is damaged (it contains characters that do not belong in a link).",
    zh: "此分享链接已损坏（包含不应出现在链接中的字符）。",
  },
  tooLarge: { en: "This share link expands to more than 1 MB of data and was not opened.", zh: "此分享链接解压后超过 1 MB，未打开。" },
  notDeflate: {
    en: "This share link is damaged (it could not be decompressed); it may have been cut short when copied.",
    zh: "此分享链接已损坏（无法解压），可能是复制时被截断了。",
  },
  notJson: { en: "This share link is damaged (its contents are not valid data).", zh: "此分享链接已损坏（内容不是有效数据）。" },
  invalid: { en: "This share link cannot be opened: {reason}.", zh: "无法打开此分享链接：{reason}。" },
  notObject: { en: "it is not an object", zh: "内容不是对象" },
  noCodeField: { en: "it has no code", zh: "其中没有代码" },
  codeTooLong: { en: "its code is longer than {limit} characters", zh: "代码超过 {limit} 个字符" },
  unknownMode: { en: "unknown mode {mode}", zh: "未知的模式 {mode}" },
} as const;
