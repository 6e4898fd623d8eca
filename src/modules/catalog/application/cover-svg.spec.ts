import { coverSvg, wrap } from './cover-svg';

describe('coverSvg', () => {
  it('draws the title, escaped, as SVG text', () => {
    const svg = coverSvg('P1', 'Tom & Jerry <script>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Tom');
    expect(svg).toContain('&#38;');
    expect(svg).not.toContain('<script>');
  });

  it('gives each code its own colour, the same every time', () => {
    expect(coverSvg('P100', 'A')).toBe(coverSvg('P100', 'A'));
    expect(coverSvg('P100', 'A')).not.toBe(coverSvg('P101', 'A'));
  });
});

describe('wrap', () => {
  it('fills lines up to the width', () => {
    expect(wrap('The Hunger Games', 14, 5)).toEqual(['The Hunger', 'Games']);
  });

  it('cuts a word longer than a line and stops after the last line', () => {
    expect(wrap('Supercalifragilistic', 10, 5)).toEqual(['Supercali…']);
    expect(wrap('a b c d e f', 1, 3)).toEqual(['a', 'b', '…']);
  });
});
