import type { Message } from 'kafkajs';
import { toEvent } from '../../events/to-event';
import { splitFields } from '../../source/records';
import { deadLetter } from './dead-letter';

export interface DayCounts {
  events: number;
  deadLettered: number;
  /** Dead letters per reason. */
  reasons?: Record<string, number>;
}

/** What turning records into messages needs to know (the same for every worker of a run). */
export interface Conversion {
  topic: string;
  dlqTopic: string;
  dataset: string;
  runId: string;
}

export interface Outgoing {
  topic: string;
  message: Message & { key: Buffer };
  /** Approximate bytes the message adds to a batch (value, key and headers). */
  size: number;
  /** True for an order-line event, false for a dead letter. */
  event: boolean;
  /** A dead letter's reason. */
  reason?: string;
}

/**
 * One source record as the message to publish: the order-line event keyed by its Order ID, with
 * the source object, row and run id in headers, or the dead letter saying why it cannot be one.
 */
export function toMessage(c: Conversion, uri: string, row: number, text: string): Outgoing {
  const conversion = toEvent(splitFields(text), row, c.dataset, uri);
  if (!conversion.ok) {
    const message = deadLetter(conversion.rejection, text, row, uri, c.dataset, c.runId);
    const size = String(message.value).length + 200;
    return { topic: c.dlqTopic, message, size, event: false, reason: conversion.rejection.reason };
  }
  const value = JSON.stringify(conversion.event);
  const headers = { 'source-uri': uri, 'source-row': String(row), 'run-id': c.runId };
  const message = { key: Buffer.from(conversion.event.line.order_id), value, headers };
  return { topic: c.topic, message, size: value.length + 200, event: true };
}
