import { chromium } from 'playwright-core';
const B = 'http://127.0.0.1:38299';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
page.on('pageerror', e => console.log('PAGEERROR', e.message));
page.setDefaultTimeout(8000);
await page.goto(B);
await page.waitForTimeout(2000); await page.screenshot({path:'/tmp/dbg-start.png'}); await page.getByRole('textbox', { name: 'Email', exact: true }).fill('admin@leadbridge.local');
await page.getByRole('textbox', { name: 'Password', exact: true }).fill(process.argv[2]);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: 'Connections' }).waitFor();
for (const path of process.argv.slice(3)) {
  await page.goto(B + path);
  await page.waitForTimeout(1500);
  console.log('=== ' + path);
  console.log(await page.locator('main').ariaSnapshot());
  await page.screenshot({ path: '/tmp/dbg-' + path.replace(/[^a-z0-9]/gi, '_') + '.png', fullPage: true });
}
await browser.close();
