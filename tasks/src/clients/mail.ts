import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import { requireSecret, requireSetting } from '../config';

/** SMTP transport for alert mail: the local catcher by default, SES/any relay on AWS. */
export function createMailer(config: Config): Transporter {
  const { smtp, profile } = config;
  return nodemailer.createTransport({
    host: requireSetting(smtp.host, 'SMTP_HOST', profile),
    port: smtp.port,
    secure: smtp.secure,
    // The local catcher speaks plain SMTP on loopback; anywhere else insist on STARTTLS.
    ignoreTLS: profile === 'local' && !smtp.secure,
    requireTLS: profile === 'aws' && !smtp.secure,
    connectionTimeout: 10_000,
    auth: smtp.user ? { user: smtp.user, pass: requireSecret(smtp.password, 'SMTP_PASSWORD', profile) } : undefined,
  });
}
