export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}
