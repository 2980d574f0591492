/**
 * The strftime(3) conversions remote log names use (`%Y%m%d`, `%Y%m%d%H`, `%Y%m%d%H%M`, and what
 * clients put in LogInfo.sFormat), in the zone `utcOffsetMinutes` east of UTC (default: the
 * process's, as upstream's localtime). Unknown conversions are copied as they are.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p3 = (n: number) => String(n).padStart(3, '0');

export function localOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

export function strftime(format: string, ms: number, utcOffsetMinutes = localOffsetMinutes(ms)): string {
  if (!format.includes('%')) return format;
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  const Y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
  const H = d.getUTCHours(), M = d.getUTCMinutes(), S = d.getUTCSeconds(), w = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86_400_000) + 1;
  const off = Math.abs(utcOffsetMinutes);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%' || i + 1 === format.length) {
      out += c;
      continue;
    }
    const k = format[++i];
    switch (k) {
      case 'Y': out += String(Y); break;
      case 'y': out += p2(Y % 100); break;
      case 'C': out += p2(Math.floor(Y / 100)); break;
      case 'm': out += p2(m + 1); break;
      case 'd': out += p2(day); break;
      case 'e': out += String(day).padStart(2, ' '); break;
      case 'j': out += p3(yday); break;
      case 'H': out += p2(H); break;
      case 'I': out += p2(H % 12 === 0 ? 12 : H % 12); break;
      case 'M': out += p2(M); break;
      case 'S': out += p2(S); break;
      case 'p': out += H < 12 ? 'AM' : 'PM'; break;
      case 'a': out += DAYS[w].slice(0, 3); break;
      case 'A': out += DAYS[w]; break;
      case 'b': case 'h': out += MONTHS[m].slice(0, 3); break;
      case 'B': out += MONTHS[m]; break;
      case 'u': out += String(w === 0 ? 7 : w); break;
      case 'w': out += String(w); break;
      case 's': out += String(Math.floor(ms / 1000)); break;
      case 'F': out += `${Y}-${p2(m + 1)}-${p2(day)}`; break;
      case 'T': out += `${p2(H)}:${p2(M)}:${p2(S)}`; break;
      case 'R': out += `${p2(H)}:${p2(M)}`; break;
      case 'D': out += `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`; break;
      case 'z': out += `${utcOffsetMinutes < 0 ? '-' : '+'}${p2(Math.floor(off / 60))}${p2(off % 60)}`; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '%': out += '%'; break;
      default: out += `%${k}`;
    }
  }
  return out;
}
