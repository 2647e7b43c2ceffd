import chromium from '@sparticuz/chromium'
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium as playwright} from 'playwright-core'
import {beforeAll, describe, expect, it} from 'vitest'

import {addOperator, cli, freshStore} from '../helpers/cli.js'

// `reports ... --html` in a real browser (headless Chromium shipped inside the @sparticuz/chromium package,
// driven by playwright-core): the page renders its charts as inline SVG, logs no console error and asks for
// nothing but itself (no network, no other file). SQLite only: the page is the same on both engines.

type Env = ReturnType<typeof freshStore>
const as = (env: Env, operator: string, args: string[]) => cli({...env, operator}, [...args, '--json'])

describe('the HTML report in a browser', () => {
  let env: Env
  beforeAll(() => {
    env = freshStore()
    addOperator(env, 'po', 'privacy-officer')
    const received = ['2026-01-02', '2026-01-16', '2026-02-03', '2026-02-20', '2026-03-04']
    received.forEach((date, i) => {
      const r = as(env, 'po', ['requests', 'open', '--type', ['access', 'amendment', 'accounting'][i % 3]!, '--requester', 'Pat Doe', '--received', date])
      if (r.code !== 0) throw new Error(r.stdout)
      if (i < 3) expect(as(env, 'po', ['requests', 'close', r.json.requestId, '--date', '2026-03-10']).code).toBe(0)
    })
  })

  it('renders tables and SVG charts with no console error and no request but the page itself', async () => {
    const html = path.join(env.dir, 'requests.html')
    const made = as(env, 'po', ['reports', 'requests', '--from', '2026-01-01', '--to', '2026-03-31', '--as-of', '2026-04-15', '--html', html])
    expect(made.code, made.stdout).toBe(0)
    const pageUrl = pathToFileURL(html).href
    const browser = await playwright.launch({executablePath: await chromium.executablePath(), args: chromium.args, headless: true})
    try {
      const page = await browser.newPage()
      const requests: string[] = []
      const problems: string[] = []
      page.on('request', (r) => {
        if (r.url() !== pageUrl) requests.push(r.url())
      })
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      await page.goto(pageUrl, {waitUntil: 'load'})
      expect(await page.title()).toBe('Privacy Act requests: workload and response times')
      // Three charts, each an SVG with bars (vega's marks) that the browser laid out with a size.
      const charts = page.locator('figure svg')
      expect(await charts.count()).toBe(3)
      for (let i = 0; i < 3; i++) {
        const box = await charts.nth(i).boundingBox()
        expect(box!.width).toBeGreaterThan(100)
        expect(box!.height).toBeGreaterThan(100)
      }
      expect(await page.locator('figure svg .mark-rect path').count()).toBeGreaterThan(0)
      // Bars are filled with the page's patterns (black-and-white print), which resolve on the page.
      const fills = await page.locator('figure svg .mark-rect path').evaluateAll((els) => els.map((e) => e.getAttribute('fill')))
      expect(fills.every((f) => /^url\(#cu-[a-z]+\)$/.test(f ?? ''))).toBe(true)
      for (const id of new Set(fills.map((f) => f!.slice(5, -1)))) expect(await page.locator(`pattern#${id}`).count(), id).toBe(1)
      expect(await page.locator('table').count()).toBe(3)
      expect(await page.locator('dl.meta').innerText()).toContain(env.db)
      const shot = path.join(env.dir, 'requests.png')
      await page.screenshot({path: shot, fullPage: true})
      expect(fs.statSync(shot).size).toBeGreaterThan(10_000)
      expect(requests).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  }, 180_000)
})
