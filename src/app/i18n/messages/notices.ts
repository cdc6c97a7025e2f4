/** Messages in the notice bar under the toolbar, and the console's own lines. */
export const notices = {
  region: { en: "Messages", zh: "消息" },
  link: { en: "Link", zh: "链接" },
  dismiss: { en: "Dismiss message", zh: "关闭消息" },
  dismissTitle: { en: "Dismiss", zh: "关闭" },
  restore: { en: "Restore my code", zh: "恢复我的代码" },
  restored: { en: "Restored your earlier code.", zh: "已恢复你之前的代码。" },
  openedShared: { en: "Opened shared code. It has not run — press Run when you have read it.", zh: "已打开分享的代码。它尚未运行——读完后请按“运行”。" },
  openedSharedKept: {
    en: "Opened shared code. It has not run — press Run when you have read it. Your previous code was kept.",
    zh: "已打开分享的代码。它尚未运行——读完后请按“运行”。你之前的代码已保留。",
  },
  sharedRefused: { en: "{error} Your own code is unchanged.", zh: "{error}你自己的代码没有改动。" },
  loadedExample: { en: "Loaded “{title}”.", zh: "已载入“{title}”。" },
  updateAvailable: { en: "A new version of webgrad is available.", zh: "webgrad 有新版本可用。" },
  reloadToUpdate: { en: "Reload to update", zh: "重新加载以更新" },
  stopped: { en: "Stopped.", zh: "已停止。" },
  dropped: { en: "… {n} lines dropped (printed faster than the console can show) …", zh: "… 丢弃了 {n} 行（输出速度超过了控制台的显示速度）…" },
  atLine: { en: "(line {line})", zh: "（第 {line} 行）" },
  uncaught: { en: "Uncaught {error}", zh: "未捕获的 {error}" },
} as const;
