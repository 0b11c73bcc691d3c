/** A file that finished uploading (tus) and can be attached to a case by its uploadId. */
export interface UploadedFile {
  uploadId: string;
  fileName: string;
  size: number;
}

export interface FileUploaderProps {
  /** An existing case: each file is attached to it as soon as it finishes. Absent: a new case's form collects the ids. */
  caseId?: string;
  /** The account is FedRAMP-authorized: the upload area shows the seed's caution (FEDRAMP_UPLOAD_CAUTION). */
  showFedrampCaution: boolean;
  /** Completed, not removed uploads, in order; a new case's form sends their ids with Submit. */
  onChange?: (files: UploadedFile[]) => void;
  /** Files were attached to the existing case (refresh it). */
  onAttached?: () => void;
  disabled?: boolean;
}

/** Stub: the resumable uploader (drag and drop or Browse, 5 at a time, progress table, error details, Retry). */
export function FileUploader(props: FileUploaderProps) {
  void props;
  return null;
}
