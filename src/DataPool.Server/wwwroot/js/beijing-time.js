// Times shown to people are Beijing time (Asia/Shanghai), whatever the browser's own zone; the API sends ISO instants.
import { currentLang } from './i18n.js';

/** "2026-12-06 15:23" in Beijing time; '—' for nothing. */
export function beijingTime(iso, { seconds = false } = {}) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ''}`;
}

/** A duration in words: "3.2 秒" / "3.2 s", "2 分 5 秒" / "2 min 5 s". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const zh = currentLang() === 'zh';
  if (ms < 1000) return `${Math.round(ms)} ${zh ? '毫秒' : 'ms'}`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} ${zh ? '秒' : 's'}`;
  const minutes = Math.floor(ms / 60_000);
  const secs = Math.round((ms % 60_000) / 1000);
  return zh ? `${minutes} 分 ${secs} 秒` : `${minutes} min ${secs} s`;
}

/** An age in hours as people say it: "35 分钟" / "5 小时" / "3 天". */
export function age(hours) {
  if (hours === null || hours === undefined) return '—';
  const zh = currentLang() === 'zh';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} ${zh ? '分钟' : 'min'}`;
  if (hours < 48) return `${Math.round(hours)} ${zh ? '小时' : 'h'}`;
  return `${Math.round(hours / 24)} ${zh ? '天' : 'days'}`;
}
