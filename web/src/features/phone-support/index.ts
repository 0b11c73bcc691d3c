export { usePhoneNumbers } from './phone-support.api';
export { PhoneNumbersEditor } from './components/phone-numbers-editor';
export { PhoneSupportCard } from './components/phone-support-card';
export { PinLookup } from './components/pin-lookup';
