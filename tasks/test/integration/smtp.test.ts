import { createMailer } from '../../src/clients/mail';
import { defaultEnvFile, readEnvFile } from '../../src/config';
import { stackConfig, uniqueSuffix } from './helpers';

interface CaughtMail {
  subject: string;
  text: string;
  to: { address: string }[];
  attachments?: { fileName?: string; filename?: string }[];
}

describe('SMTP catcher (maildev)', () => {
  it('receives a mail sent with nodemailer and serves it on its HTTP API', async () => {
    const config = stackConfig();
    const subject = `[sales-pipeline] itest ${uniqueSuffix()}`;
    const mailer = createMailer(config);
    try {
      await mailer.sendMail({
        from: config.smtp.from,
        to: config.smtp.to,
        subject,
        text: 'quality gate bronze_order_lines failed: 2 expectations',
        attachments: [{ filename: 'report.html', content: '<h1>report</h1>' }],
      });
    } finally {
      mailer.close();
    }
    // The HTTP API port is not task config (tasks only send mail): take it from the env file.
    const apiPort = Number(process.env.SMTP_HTTP_PORT ?? readEnvFile(defaultEnvFile).SMTP_HTTP_PORT ?? 11088);
    const res = await fetch(`http://127.0.0.1:${apiPort}/api/email`);
    expect(res.ok).toBe(true);
    const mails = (await res.json()) as CaughtMail[];
    const mail = mails.find((m) => m.subject === subject);
    expect(mail).toBeDefined();
    expect(mail!.text).toContain('bronze_order_lines failed');
    expect(mail!.to.map((t) => t.address)).toEqual(config.smtp.to);
    expect(mail!.attachments?.map((a) => a.fileName ?? a.filename)).toEqual(['report.html']);
  });
});
