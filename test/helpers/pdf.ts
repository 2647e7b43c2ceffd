/**
 * The text of a PDF that custodian wrote (pdfkit, uncompressed content streams), read back as a person would
 * see it: each font's ToUnicode map turns the glyph codes of an embedded font (two bytes each) into text; a
 * standard font's one-byte codes are Latin-1. Enough for our letters; not a general PDF parser.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1')
  const objects = new Map<number, string>()
  for (const m of raw.matchAll(/(?:^|\n)(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2]!)
  const streamOf = (body: string | undefined) => /stream\r?\n([\s\S]*?)\r?\nendstream/.exec(body ?? '')?.[1] ?? ''
  const fonts = new Map<string, Map<number, string> | null>()
  for (const m of raw.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
    for (const f of m[1]!.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(Number(f[2])) ?? '')
      fonts.set(f[1]!, toUnicode ? parseCmap(streamOf(objects.get(Number(toUnicode[1])))) : null)
    }
  }
  const lines: string[] = []
  for (const body of objects.values()) {
    const content = streamOf(body)
    if (!/\bTf\b/.test(content)) continue
    let cmap: Map<number, string> | null = null
    for (const m of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1]) {
        cmap = fonts.get(m[1]) ?? null
        continue
      }
      const hexes = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [m[3]!]
      lines.push(hexes.map((hex) => decode(hex, cmap)).join(''))
    }
  }
  return lines.join('\n')
}

function decode(hex: string, cmap: Map<number, string> | null): string {
  if (!cmap) return Buffer.from(hex, 'hex').toString('latin1')
  let out = ''
  for (let i = 0; i + 4 <= hex.length; i += 4) out += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD'
  return out
}

// A ligature maps to several characters: <0066 0066 0069> is "ffi".
const utf16 = (hex: string) => Buffer.from(hex.replaceAll(/\s/g, ''), 'hex').swap16().toString('utf16le')

function parseCmap(text: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const section of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(m[1]!, 16)
      const hi = parseInt(m[2]!, 16)
      if (m[3]!.startsWith('[')) {
        [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((u, k) => map.set(lo + k, utf16(u[1]!)))
      } else {
        const start = parseInt(m[3]!.slice(1, -1), 16)
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCodePoint(start + c - lo))
      }
    }
  }
  for (const section of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(m[1]!, 16), utf16(m[2]!))
  }
  return map
}
