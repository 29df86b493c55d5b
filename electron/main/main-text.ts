// The few texts the main process shows itself (failure dialogs, the save dialog for backups with keys), in the UI languages. The renderer's
// texts live in renderer/src/i18n; these cannot, because they are shown when the renderer is gone
// or never came. English is the reference; ja/zh say the same.
import type { UiLanguage } from '../shared/locale.ts';

const en = {
  startFailed: 'Kaiwa could not start',
  dataUnchanged: 'Your data folder was not changed.',
  dataFolder: 'Data folder',
  logFile: 'Log file',
  loadFailed: 'Kaiwa could not show its window',
  loadFailedMessage: 'The app page did not load.',
  preloadFailed: 'Kaiwa’s window could not connect to the app',
  preloadFailedMessage: 'Part of the window failed to load, so nothing you do in it would reach the app.',
  crashed: 'Kaiwa’s window stopped unexpectedly',
  crashedMessage: 'The window was reloaded. Your conversations and settings are kept.',
  crashLoop: 'The window stopped several times in a row. Reload it once more, or quit Kaiwa.',
  unexpected: 'Kaiwa hit an unexpected error',
  unexpectedMessage: 'Kaiwa keeps running, but something may not work. The details are in the log file.',
  reload: 'Reload',
  quit: 'Quit',
  ok: 'OK',
  saveBackup: 'Save the backup with encrypted keys',
  backupFiles: 'Kaiwa backup',
};
export type MainText = typeof en;

const ja: MainText = {
  startFailed: 'Kaiwa を起動できませんでした',
  dataUnchanged: 'データフォルダーは変更されていません。',
  dataFolder: 'データフォルダー',
  logFile: 'ログファイル',
  loadFailed: 'Kaiwa のウィンドウを表示できませんでした',
  loadFailedMessage: 'アプリのページを読み込めませんでした。',
  preloadFailed: 'Kaiwa のウィンドウがアプリに接続できませんでした',
  preloadFailedMessage: 'ウィンドウの一部を読み込めなかったため、この画面での操作はアプリに届きません。',
  crashed: 'Kaiwa のウィンドウが予期せず停止しました',
  crashedMessage: 'ウィンドウを再読み込みしました。会話と設定はそのまま残っています。',
  crashLoop: 'ウィンドウが続けて何度も停止しました。もう一度再読み込みするか、Kaiwa を終了してください。',
  unexpected: 'Kaiwa で予期しないエラーが発生しました',
  unexpectedMessage: 'Kaiwa は動作を続けますが、一部が正しく動かない可能性があります。詳細はログファイルにあります。',
  reload: '再読み込み',
  quit: '終了',
  ok: 'OK',
  saveBackup: '暗号化したキーを含むバックアップを保存',
  backupFiles: 'Kaiwa バックアップ',
};

const zh: MainText = {
  startFailed: 'Kaiwa 无法启动',
  dataUnchanged: '你的数据文件夹没有被更改。',
  dataFolder: '数据文件夹',
  logFile: '日志文件',
  loadFailed: 'Kaiwa 无法显示窗口',
  loadFailedMessage: '应用页面未能加载。',
  preloadFailed: 'Kaiwa 的窗口无法连接到应用',
  preloadFailedMessage: '窗口的一部分未能加载，因此在其中的操作无法到达应用。',
  crashed: 'Kaiwa 的窗口意外停止',
  crashedMessage: '窗口已重新加载。你的对话和设置都还在。',
  crashLoop: '窗口连续多次停止。请再重新加载一次，或退出 Kaiwa。',
  unexpected: 'Kaiwa 遇到意外错误',
  unexpectedMessage: 'Kaiwa 会继续运行，但部分功能可能无法正常工作。详细信息在日志文件中。',
  reload: '重新加载',
  quit: '退出',
  ok: '确定',
  saveBackup: '保存包含加密密钥的备份',
  backupFiles: 'Kaiwa 备份',
};

export const MAIN_TEXTS: Record<UiLanguage, MainText> = { en, ja, zh };
