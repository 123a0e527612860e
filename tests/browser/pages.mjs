// The browser test of the public web pages (run.sh seeds the node and sets the environment):
// Debian's Chromium, driven by playwright-core, loads each page, searches, uses a facet,
// opens a specification, verifies a valid, a revoked and a tampered credential, signs in as a
// learner, downloads, makes, opens and withdraws a share link, switches to French, checks the
// keyboard path to the search field, and takes a full-page screenshot of every page.
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const base = process.env.MC_WEB_URL;
const artifacts = process.env.MC_ARTIFACTS;
const read = (name) => readFileSync(process.env[name], "utf8").trim();
const valid = read("MC_VALID_JWS");
const revoked = read("MC_REVOKED_JWS");
const tampered = read("MC_TAMPERED_JWS");
const learnerToken = process.env.MC_LEARNER_TOKEN;

mkdirSync(process.env.MC_PROFILE_DIR, { recursive: true });
const context = await chromium.launchPersistentContext(process.env.MC_PROFILE_DIR, {
  executablePath: process.env.MC_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
  locale: "en-GB",
  acceptDownloads: true,
});
const page = context.pages()[0] ?? (await context.newPage());
const problems = [];
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
page.on("console", (message) => {
  // Failed loads are checked by URL below: a test asks for two error pages on purpose.
  if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
    problems.push(`console error: ${message.text()}`);
  }
});
const expectedErrors = [/\/catalogue\?eqf=9/, /\/s\//];
page.on("response", (response) => {
  if (response.status() >= 400 && !expectedErrors.some((re) => re.test(response.url()))) {
    problems.push(`${response.status()} for ${response.url()}`);
  }
});

let shots = 0;
async function shot(name) {
  const path = `${artifacts}/${String(++shots).padStart(2, "0")}-${name}.png`;
  await page.screenshot({ path, fullPage: true });
  console.log(`  screenshot ${path}`);
}
async function step(name, body) {
  process.stdout.write(`- ${name}\n`);
  await body();
}
const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
async function expectOk(response) {
  assert.ok(response, "no response");
  assert.equal(response.status(), 200, `${response.url()} answered ${response.status()}`);
}

try {
  await step("catalogue: keyboard reaches the search field, with a visible focus", async () => {
    await expectOk(await page.goto(`${base}/catalogue?lang=en`));
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await text("h1"), "Catalogue of micro-credentials");
    let reached = false;
    for (let i = 0; i < 20 && !reached; ++i) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "q");
    }
    assert.ok(reached, "Tab never reached the search field");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none", "the focused search field has no visible outline");
    // Every form field has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input:not([type=hidden]), textarea, select")]
        .filter((el) => !el.labels || el.labels.length === 0)
        .map((el) => el.name),
    );
    assert.deepEqual(unlabelled, []);
    await shot("catalogue");
  });

  await step("catalogue: search with the keyboard, then a facet", async () => {
    await page.keyboard.type("science");
    await Promise.all([page.waitForLoadState("load"), page.keyboard.press("Enter")]);
    await page.waitForURL(/q=science/);
    assert.match(await text(".result-count"), /1 micro-credential found/);
    assert.equal(await text(".result h3"), "Open science in practice");
    await shot("catalogue-search");

    await page.goto(`${base}/catalogue?lang=en`);
    assert.match(await text(".result-count"), /2 micro-credentials found/);
    await page.click('a.facet-link[data-facet="eqf"][data-value="6"]');
    await page.waitForURL(/eqf=6/);
    assert.match(await text(".result-count"), /1 micro-credential found/);
    assert.equal(await text(".result h3"), "Data literacy for researchers");
    assert.equal(
      await page.getAttribute('a.facet-link[data-facet="eqf"][data-value="6"]', "aria-current"),
      "true",
    );
    await shot("catalogue-facet");
  });

  await step("catalogue: a bad filter is a 400 naming the parameter", async () => {
    const response = await page.goto(`${base}/catalogue?eqf=9&lang=en`);
    assert.equal(response.status(), 400);
    assert.match(await text("main"), /eqf: an EQF level from 1 to 8/);
  });

  await step("specification page: every Annex I element and the recognition policy", async () => {
    await page.goto(`${base}/catalogue?lang=en`);
    await Promise.all([page.waitForURL(/\/catalogue\/uclouvain\/data-literacy/),
      page.click("text=Data literacy for researchers")]);
    assert.equal(await text("h1"), "Data literacy for researchers");
    const main = await text("main");
    for (const element of [
      "Identification of the learner", "Title", "Country and region of the provider",
      "Awarding body", "Date of issuing", "Learning outcomes", "Notional workload",
      "Level and cycle", "Type of assessment", "Form of participation",
      "Type of quality assurance", "Prerequisites", "Supervision and identity verification",
      "Integration and stackability", "Further information", "Validity",
      "Languages of instruction", "Field of education (ISCED-F 2013)", "Awards ECTS credits",
      // values
      "Clean and document a research data set", "4 ECTS", "EQF 6", "QF-EHEA first cycle",
      "Portfolio", "Blended", "External", "AEQES", "A first course in statistics.",
      "Supervised on site, with identity verification", "Stackable towards another credential",
      "0542", "Natural sciences, mathematics and statistics", "Belgium",
      // the provider and its policy
      "Université catholique de Louvain", "Higher education institution",
      "UCLouvain recognises micro-credentials of EU providers",
    ]) {
      assert.ok(main.includes(element), `the specification page lacks "${element}"`);
    }
    assert.ok((await page.locator("table.elements th[scope=row]").count()) >= 19);
    await shot("specification");
  });

  const verify = async (jws, name, expected) => {
    await expectOk(await page.goto(`${base}/verify?lang=en`));
    await page.fill("#credential", jws);
    await Promise.all([page.waitForURL(/\/verify\/result/), page.click("button[type=submit]")]);
    const banner = await text("#verdict .banner-title");
    assert.match(banner, expected, `${name}: the banner says "${banner}"`);
    await shot(`verify-${name}`);
    return banner;
  };
  await step("verification: a valid credential", async () => {
    await page.goto(`${base}/verify?lang=en`);
    await shot("verify-form");
    await verify(valid, "valid", /^VALID: genuine and in force$/);
    assert.equal(await page.getAttribute("#verdict", "data-verdict"), "ok");
    const main = await text("main");
    for (const expected of ["Marie Dupont", "Open science in practice", "16/20",
      "Digital signature", "Not revoked or suspended", "Université catholique de Louvain",
      "Secured as", "Open Badges 3.0 (VC-JWT), signed with"]) {
      assert.ok(main.includes(expected), `the valid verification lacks "${expected}"`);
    }
    assert.equal(await page.locator("table.checks tr.fail").count(), 0);
  });
  await step("verification: a revoked credential", async () => {
    await verify(revoked, "revoked", /^REVOKED: this credential is no longer valid$/);
    assert.equal(await page.getAttribute("#verdict", "data-verdict"), "bad");
    assert.match(await text("#verdict"), /Assessment irregularity/);
    assert.equal(await page.locator('table.checks tr.fail[data-check="status"]').count(), 1);
  });
  await step("verification: a tampered credential", async () => {
    await verify(tampered, "tampered", /^NOT AUTHENTIC/);
    assert.equal(await page.getAttribute("#verdict", "data-verdict"), "bad");
    assert.ok((await page.locator("table.checks tr.fail").count()) >= 1);
  });

  let shareUrl;
  await step("learner: sign in, see three credentials, download in three formats", async () => {
    await page.goto(`${base}/learner?lang=en`);
    assert.equal(await text("h1"), "My credentials");
    await shot("learner-sign-in");
    await page.fill("#token", learnerToken);
    // The page is already at /learner: wait for the next document, not for the URL.
    await Promise.all([page.waitForEvent("load"), page.click("button[type=submit]")]);
    assert.match(page.url(), /\/learner\?lang=en$/);
    assert.equal(await page.locator("li.credential").count(), 3);
    assert.equal(await page.locator("li.credential .status-pill.bad").count(), 1);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "mc_learner");
    assert.ok(session?.httpOnly && session.sameSite === "Strict", "session cookie flags");
    const card = page.locator("li.credential", { hasText: "Open science in practice" })
      .filter({ has: page.locator(".status-pill.ok") }).first();
    for (const [format, check] of [
      ["jws", (body) => assert.equal(body.trim(), valid)],
      ["ob", (body) => assert.ok(JSON.parse(body).type.includes("OpenBadgeCredential"))],
      // A European Digital Credential: the ELM JSON-LD sealed with JAdES (one signature).
      ["elm", (body) => {
        const sealed = JSON.parse(body);
        assert.equal(sealed.signatures.length, 1);
        assert.ok(JSON.parse(sealed.payload).type.includes("EuropeanDigitalCredential"));
      }],
    ]) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        card.locator(`button[name=format][value=${format}]`).click(),
      ]);
      const path = `${artifacts}/download-${download.suggestedFilename()}`;
      await download.saveAs(path);
      check(readFileSync(path, "utf8"));
      console.log(`  downloaded ${path}`);
    }
    await shot("learner");
  });

  await step("learner: make a share link and open it", async () => {
    const card = page.locator("li.credential", { hasText: "Open science in practice" })
      .filter({ has: page.locator(".status-pill.ok") }).first();
    await card.locator("text=Make a share link").click();
    await page.waitForSelector("#new-share-link");
    shareUrl = await page.getAttribute("#new-share-link", "href");
    assert.match(shareUrl, /^\/s\/[A-Za-z0-9_-]{27}\?lang=en$/);
    await shot("learner-shared");
    await page.click("#new-share-link");
    await page.waitForURL(/\/s\//);
    assert.match(await text("#verdict .banner-title"), /^VALID/);
    assert.match(await text("main"), /Shared with you by its holder/);
    await shot("share-link");
  });

  await step("learner: withdraw the link; it is gone and no longer works", async () => {
    await page.goto(`${base}/learner?lang=en`);
    await Promise.all([page.waitForEvent("load"), page.click("table.shares button:has-text('Withdraw')")]);
    assert.match(page.url(), /\/learner/);
    // Withdrawing deletes the link: it is no longer listed.
    const shareId = shareUrl.slice("/s/".length, "/s/".length + 27);
    assert.doesNotMatch(await text("section[aria-labelledby=shares]"), new RegExp(shareId.slice(0, 8)));
    const response = await page.goto(`${base}${shareUrl}`);
    assert.equal(response.status(), 404);
    assert.match(await text("#verdict"), /This share link does not work/);
    await shot("share-link-withdrawn");
  });

  await step("French: the switch, the catalogue, a specification and a revoked credential", async () => {
    await page.goto(`${base}/catalogue?lang=en`);
    await Promise.all([page.waitForURL(/lang=fr/), page.click("a.lang-switch")]);
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await text("h1"), "Catalogue des microcertifications");
    assert.match(await text("a.lang-switch"), /English/);
    await shot("fr-catalogue");
    await page.click("text=Data literacy for researchers");
    await page.waitForURL(/data-literacy/);
    assert.match(await text("main"), /Éléments obligatoires \(annexe I\)/);
    assert.match(await text("main"), /Acquis d'apprentissage/);
    await shot("fr-specification");
    await page.goto(`${base}/verify?lang=fr`);
    await page.fill("#credential", revoked);
    await Promise.all([page.waitForURL(/\/verify\/result/), page.click("button[type=submit]")]);
    assert.match(await text("#verdict .banner-title"), /^RÉVOQUÉE/);
    await shot("fr-verify-revoked");
  });

  await step("Accept-Language chooses French without ?lang", async () => {
    // The browser's own language is set by its locale (en-GB here): ask as a French one would.
    const answer = await fetch(`${base}/verify`, { headers: { "Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5" } });
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /<html lang="fr">/);
  });

  await step("a phone-sized screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/catalogue?lang=en`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.ok(!overflow, "the catalogue scrolls sideways on a phone");
    await shot("mobile-catalogue");
    await page.goto(`${base}/verify?lang=en`);
    await page.fill("#credential", tampered);
    await Promise.all([page.waitForURL(/\/verify\/result/), page.click("button[type=submit]")]);
    await shot("mobile-verify-tampered");
  });

  assert.deepEqual(problems, [], "the pages logged errors");
  console.log(`browser: all steps passed; ${shots} screenshots in ${artifacts}`);
} catch (error) {
  await shot("failure").catch(() => {});
  console.error(error);
  process.exitCode = 1;
} finally {
  await context.close();
}
