import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../config.js';
import { assertValidKey, StoredObjectNotFoundError, type FileStorage } from './storage.js';

type S3Settings = Extract<Config['storage'], { kind: 's3' }>;

/** S3-compatible object storage. Uploads are multipart and streamed (5 MiB parts, 4 in flight). */
export function createS3Storage(settings: S3Settings): FileStorage {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint ?? undefined,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
  });
  const Bucket = settings.bucket;
  const isMissing = (error: unknown) => error instanceof NoSuchKey || error instanceof NotFound;
  return {
    kind: 's3',
    async put(key, body) {
      assertValidKey(key);
      const upload = new Upload({ client, params: { Bucket, Key: key, Body: body }, partSize: 5 * 1024 * 1024, queueSize: 4 });
      await upload.done();
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
      return { key, size: head.ContentLength ?? 0 };
    },
    async get(key) {
      assertValidKey(key);
      try {
        const result = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!(result.Body instanceof Readable)) throw new Error('S3 returned a body that is not a Node stream');
        return result.Body;
      } catch (error) {
        if (isMissing(error)) throw new StoredObjectNotFoundError(key);
        throw error;
      }
    },
    async stat(key) {
      assertValidKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { key, size: head.ContentLength ?? 0 };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
