// Compile-time stand-in for TrustKit's public header (the names the vendor SDK uses).
@interface TrustKit : NSObject
+ (void)initSharedInstanceWithConfiguration:(NSDictionary *)configuration;
@end
extern NSString *const kTSKPinnedDomains;
extern NSString *const kTSKPublicKeyHashes;
extern NSString *const kTSKEnforcePinning;
extern NSString *const kTSKIncludeSubdomains;
