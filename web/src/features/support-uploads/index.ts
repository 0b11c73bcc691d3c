export { FileUploader, type FileUploaderProps, type UploadedFile } from './components/file-uploader';
