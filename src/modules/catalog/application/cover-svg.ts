/** A placeholder book cover drawn from the title, so the storefront loads nothing from other hosts. */
export function coverSvg(code: string, title: string): string {
  // The golden angle spreads codes that differ in one character (P100, P101) around the wheel.
  const hue = (hash(code) * 137) % 360;
  const lines = wrap(title, 14, 5).map(
    (line, i) => `<tspan x="100" dy="${i === 0 ? 0 : 28}">${escapeXml(line)}</tspan>`,
  );
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300">',
    `<rect width="200" height="300" fill="hsl(${hue} 45% 32%)"/>`,
    `<rect x="12" y="12" width="176" height="276" fill="none" stroke="hsl(${hue} 60% 80%)" stroke-width="2"/>`,
    '<text x="100" y="110" fill="#fff" font-family="Georgia, serif" font-size="22" ',
    `text-anchor="middle">${lines.join('')}</text>`,
    '</svg>',
  ].join('');
}

/** Words into lines of at most `width` characters (a longer word is cut), at most `max` lines. */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word.length > width ? `${word.slice(0, width - 1)}…` : word);
  }
  return lines.length > max ? [...lines.slice(0, max - 1), '…'] : lines;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
